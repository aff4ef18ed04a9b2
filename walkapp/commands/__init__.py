"""Feature commands: each module may define COMMANDS, a tuple of click commands."""
