"""The `walkapp` commands, one module per product word; each defines COMMANDS, a tuple of click commands."""
