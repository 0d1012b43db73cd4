"""The web app, above the channel adapters: the ASGI app (``app``), the webhook endpoints that feed
the Telegram and Zalo channels (``webhooks``) and the staff web page (``staff``).

The staff page works through the domains (the case desk, extension decisions, relays) and the
outbox; it never imports a flow, the dialog core or an adapter. Only the wiring imports this."""
