"""Password hashing (scrypt through werkzeug) and a constant-time check."""

from werkzeug.security import check_password_hash, generate_password_hash

METHOD = "scrypt"
# Compared against when the user does not exist, so timing does not tell names apart.
_DUMMY = generate_password_hash("not-a-password", method=METHOD)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=METHOD)


def check_password(password_hash: str | None, password: str) -> bool:
    return check_password_hash(password_hash or _DUMMY, password) and password_hash is not None
