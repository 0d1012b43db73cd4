"""Reach (issue 12): announcements, training sessions, the chairpersons' handbook and the
outstanding examples — the plan's information work (II.1), training (II.3) and examples (III.2)
made deliberate and measured against the register.

A domain above ``results`` (its audiences and attendance are the register's chairpersons): it
may import ``results``, ``scheduler``, ``storage``, ``kernel`` and the message types of ``bot``;
the bot's flows, the web page and the CLI import it."""
