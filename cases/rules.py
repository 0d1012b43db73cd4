"""Pure rules of the case workflow: categories, codes, due times and who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cases.people import Who
from kernel.calendar import TZ, add_working_days

# Categories in the order the reporter sees them. The first four put a union officer at risk:
# those reports are protection cases (plan part II.4).
PROTECTION = ("officer_dismissed", "officer_threatened", "officer_moved", "officer_discriminated")
CATEGORIES = PROTECTION + ("wages", "insurance", "safety", "interference", "no_dialogue", "other")

# Articles that apply to every protection case, looked up whole in the knowledge base.
PROTECTION_ARTICLES = ("blld-2019:d175", "blld-2019:d176", "blld-2019:d177", "luat-cd-2024:d10")
# What to search for the other categories (the best passages are attached).
LAW_QUERIES = {
    "wages": "trả lương không đúng hạn, chậm trả lương",
    "insurance": "không đóng bảo hiểm xã hội bắt buộc cho người lao động",
    "safety": "an toàn vệ sinh lao động tai nạn lao động trách nhiệm người sử dụng lao động",
    "interference": "hành vi bị nghiêm cấm cản trở hoạt động công đoàn",
    "no_dialogue": "đối thoại tại nơi làm việc thương lượng tập thể",
    "other": "quyền và nghĩa vụ của người sử dụng lao động",
}

ACK_WORKING_DAYS = {True: 1, False: 3}  # protection → 1 working day, others → 3


def is_protection(category: str) -> bool:
    return category in PROTECTION


def code_prefix(category: str) -> str:
    return "BV" if is_protection(category) else "KN"


def format_code(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def due_at(created: datetime, protection: bool) -> datetime:
    """The same local time, 1 or 3 working days later (weekends and public holidays skipped)."""
    moment = created.astimezone(TZ)
    due_day = add_working_days(moment.date(), ACK_WORKING_DAYS[protection])
    return datetime.combine(due_day, moment.timetz())


# ---- access: staff and admins see cases; a reporter their own; an assigned unit officer theirs ----

ACTIONS = ("view", "acknowledge", "assign", "status", "message", "reveal", "add_info", "reply")
_REPORTER = frozenset({"view", "add_info", "reply"})
_ASSIGNED_OFFICER = frozenset({"view", "acknowledge", "status", "message"})


@dataclass(frozen=True)
class CaseFacts:
    """What the access rules need to know about a case."""

    reporter_person_id: int | None
    assignee_person_id: int | None


def allowed(who: Who, case: CaseFacts, action: str) -> bool:
    if who.person_id is None:
        return False
    if who.is_admin:
        return True
    if who.is_staff:
        return action != "reveal"  # a withheld identity: admins only, with a reason
    if case.reporter_person_id == who.person_id:
        return action in _REPORTER
    if case.assignee_person_id == who.person_id and "unit_officer" in who.roles:
        return action in _ASSIGNED_OFFICER
    return False
