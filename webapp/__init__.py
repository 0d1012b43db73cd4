"""The ASGI app: webhooks for Telegram and Zalo, and the staff web page."""
