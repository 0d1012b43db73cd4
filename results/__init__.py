"""Plan results (issue 11): the register of non-state CĐCS and their chairpersons, the units'
structured reports, and the province's report to the Tổng Liên đoàn.

A domain above ``scheduler`` (a unit's report belongs to one of its deadlines): it may import
``scheduler``, ``storage``, ``kernel`` and the message types of ``bot``; the bot's flows, the web
page and the CLI import it."""
