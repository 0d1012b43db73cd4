"""Conversations, from the message types up to the channel adapters, in layers:

- ``messages`` (``Reply``, ``Button``, ``Notice``, ``InboundEvent``, ``State``, ``Outcome``),
  ``outbox`` (``Sender``, ``Outbox``, ``DeliveryError``), ``payloads`` (button payloads),
  ``render`` and ``texts``: below the domains, which may use these and nothing else of ``bot``;
- ``store`` (accounts, conversation state, questions) and ``turn`` (what a flow is handed);
- ``flows``: the conversations, each a module of small handlers, and their routing;
- ``core``: the ``DialogCore`` (locks, de-duplication, state saved before notices go out);
- ``channels``: one adapter per messenger (Telegram, Zalo, the console), each with its sender.

Each layer imports only the ones listed before it (checked by import-linter)."""
