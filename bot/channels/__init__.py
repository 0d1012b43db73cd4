"""The channel adapters, one module per messenger: Telegram (PTB), Zalo (httpx) and the console.

Each turns its platform's updates into ``bot.messages.InboundEvent`` for the dialog core, renders
``Reply`` lists in its platform's terms, and owns the ``Sender`` that puts the bot's own messages
(alerts, relays, reminders) on that platform. Text-only channels number a reply's buttons; the
rule for which menu a typed number presses is written once, in ``numbered``. Adapters may import
the dialog core and everything below it; nothing but the web app and the wiring imports them.
"""
