"""The dialog core and its channel adapters (Telegram, console)."""
