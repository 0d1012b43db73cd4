"""Button payloads, spelled once: ``<prefix>:<action>:<id>[:<value>]``.

Domain code puts buttons under reminders and alerts, flows handle the presses: both build and
read payloads here, so the two agree. Payloads stay valid under their message (an alert may be
pressed hours later) and every press is checked again by the flow that takes it.
"""

from __future__ import annotations

CASE = "vv"  # bot.flows.cases
DEADLINE = "dl"  # bot.flows.deadlines
FEEDBACK = "fb"  # bot.flows.ask
UNIT_REPORT = "kq"  # bot.flows.unit_report (báo cáo kết quả)

# The largest id a payload may carry (ids are 32-bit integer columns): a bigger number is an
# old or forged button, not a row.
MAX_ID = 2**31 - 1


def case(action: str, case_id: int, value: str | int = "") -> str:
    """``vv:o:12`` open, ``ack`` acknowledge, ``rp`` reply, ``to``/``ss`` with a value, …"""
    return f"{CASE}:{action}:{case_id}" + (f":{value}" if value != "" else "")


def case_open(case_id: int) -> str:
    return case("o", case_id)


def case_acknowledge(case_id: int) -> str:
    return case("ack", case_id)


def case_reply(case_id: int) -> str:
    return case("rp", case_id)


def deadline(action: str, item_id: int) -> str:
    """``dl:s|x|z|k:<deadline>`` submitted, extension, snooze, skip the file;
    ``dl:a|r:<extension>`` staff approve or refuse an extension."""
    return f"{DEADLINE}:{action}:{item_id}"


def unit_report(action: str, deadline_id: int, value: str | int = "") -> str:
    """``kq:o:<deadline>`` open the unit's report form; ``k`` keep, ``b`` skip a part (with the
    step number), ``s`` submit, ``c`` correct, ``p`` pause."""
    return f"{UNIT_REPORT}:{action}:{deadline_id}" + (f":{value}" if value != "" else "")


def feedback(question_id: int, useful: bool) -> str:
    return f"{FEEDBACK}:{question_id}:{int(useful)}"


def split(payload: str) -> tuple[str, str]:
    """``"vv:o:12"`` → ``("vv", "o:12")``."""
    prefix, _, rest = payload.partition(":")
    return prefix, rest


def parse_id(raw: str) -> int | None:
    """An id from a payload or a URL: digits only and within a database integer, else None."""
    # ASCII digits only: "²".isdigit() is true, but int("²") raises.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None
