"""Every Vietnamese text of the "remind" capability, in one place."""

from __future__ import annotations

REMINDER = ("⏰ Nhắc hạn báo cáo — {unit}\n"
            "{obligation} (kỳ {period}), gửi {recipient}.\n"
            "Hạn nộp: {due}{when}.{day_off}")
WHEN = {0: " (hôm nay)", 1: " (ngày mai)"}
WHEN_DAYS = " (còn {days} ngày)"
WHEN_LATE = " (đã quá hạn {days} ngày)"
DAY_OFF = "\nLưu ý: ngày {due} là {note} (ngày nghỉ), nên nộp trước đó."
SNOOZED_AGAIN = "🔁 Nhắc lại theo yêu cầu của anh/chị.\n"

BUTTON_SUBMITTED = "✅ Đã nộp"
BUTTON_EXTEND = "📅 Xin gia hạn"
BUTTON_SNOOZE = "⏳ Nhắc lại sau"
BUTTON_FILL_REPORT = "📝 Điền báo cáo"
BUTTON_APPROVE = "✅ Đồng ý"
BUTTON_REFUSE = "❌ Từ chối"

ESCALATION_HEAD = "🚨 Đơn vị quá hạn báo cáo ({day}):"
ESCALATION_LINE = "• {unit}: {obligation} (kỳ {period}), hạn {due}, quá {days} ngày{again}"
ESCALATION_AGAIN = " — nhắc lại lần {stage}"
BLOCKED_HEAD = "\n⚠️ Không gửi được nhắc hạn tới:"
BLOCKED_LINE = "• {name} ({unit}): {error}"

SUBMITTED = "Đã ghi nhận: {unit} đã nộp {obligation} (kỳ {period}). Sẽ không nhắc hạn này nữa. Cảm ơn anh/chị!"
ALREADY_SUBMITTED = "Báo cáo này đã được ghi nhận là đã nộp."
NOT_YOURS = "Anh/chị không phụ trách đơn vị của hạn báo cáo này."
SNOOZED = "Được, tôi sẽ nhắc lại vào {when}."
EXT_ASK_DATE = ("Anh/chị xin gia hạn {obligation} (hạn hiện tại {due}) đến ngày nào? "
                "Nhập ngày dạng dd/mm/yyyy, ví dụ {example}.")
EXT_BAD_DATE = "Tôi chưa đọc được ngày. Hãy nhập dạng dd/mm/yyyy, sau hạn hiện tại {due}."
EXT_ASK_REASON = "Lý do xin gia hạn là gì? (một hai câu ngắn)"
EXT_SENT = "Đã gửi đề nghị gia hạn đến {new_due} cho cán bộ LĐLĐ tỉnh. Tôi sẽ báo kết quả."
EXT_NO_STAFF = "Chưa có cán bộ LĐLĐ tỉnh nào nhận được đề nghị qua bot; hãy liên hệ Ban Tổ chức."
EXT_TO_STAFF = ("📅 Đề nghị gia hạn: {unit}\n{obligation} (kỳ {period})\n"
                "Hạn hiện tại {due} → đề nghị {new_due}\nLý do: {reason}\nNgười đề nghị: {who}")
EXT_APPROVED = "✅ Đề nghị gia hạn {obligation} của {unit} đã được đồng ý: hạn mới {new_due}."
EXT_REFUSED = "❌ Đề nghị gia hạn {obligation} của {unit} không được đồng ý; hạn vẫn là {due}."
EXT_DECIDED = "Đề nghị này đã được xử lý trước đó ({status})."
EXT_DONE_STAFF = "Đã ghi nhận: {decision}. Đơn vị đã được báo."
STATUS_NAMES = {"approved": "đồng ý", "refused": "từ chối", "pending": "đang chờ"}

STAFF_ONLY = "Chức năng này dành cho cán bộ LĐLĐ tỉnh."
PROGRESS_HEAD = "📊 Tiến độ báo cáo kỳ {period} (đến {today}):"
PROGRESS_COUNTS = "Đã nộp {submitted} · Chưa đến hạn {due} · Quá hạn {overdue}"
PROGRESS_OVERDUE = "Quá hạn:"
PROGRESS_LINE = "• {unit}: {obligation}, hạn {due}"
PROGRESS_NONE = "Chưa có hạn báo cáo nào trong kỳ này. Ban Tổ chức chạy: cdcs deadlines generate --year {year}"

ICAL_SUMMARY = "Hạn: {obligation} ({period})"
ICAL_DESCRIPTION = "{unit} gửi {recipient}. Kỳ {period}."


def when(days_left: int) -> str:
    if days_left < 0:
        return WHEN_LATE.format(days=-days_left)
    return WHEN.get(days_left, WHEN_DAYS.format(days=days_left))

# ---- case response due times (cases/): code, category and enterprise only, never the reporter ----
CASE_REMINDER = ("⏰ Vụ việc {code} chưa được tiếp nhận, đã đến hạn {due}.\n"
                 "Loại: {category}\nDoanh nghiệp: {enterprise}\n"
                 "Xin anh/chị mở vụ việc và bấm «Tiếp nhận».")
CASE_ESCALATION = ("🚨 Vụ việc {code} quá hạn tiếp nhận (hạn {due}){protection}.\n"
                   "Loại: {category}\nDoanh nghiệp: {enterprise}\nNgười phụ trách: {assignee}")
CASE_PROTECTION = ", vụ việc bảo vệ cán bộ công đoàn"
CASE_UNASSIGNED = "chưa phân công"
CASE_UNKNOWN_ENTERPRISE = "(không hiển thị)"
CASE_OPEN = "📂 Mở vụ việc"
CASE_ACK = "✅ Tiếp nhận"

# ---- the report file after "Đã nộp" ----------------------------------------------------------
FILE_OFFER = ("Nếu muốn, anh/chị gửi luôn tệp báo cáo (PDF, Word, Excel hoặc ảnh, tối đa {mb} MB) "
              "vào đây để lưu cùng lần nộp này; không thì bấm «Bỏ qua».")
BUTTON_SKIP = "Bỏ qua"
FILE_SAVED = "📎 Đã lưu tệp «{name}» ({size} KB) cùng báo cáo đã nộp. Cảm ơn anh/chị!"
FILE_SKIPPED = "Được, không đính kèm tệp."
FILE_TOO_BIG = "Tệp lớn hơn {mb} MB, tôi không nhận được. Hãy gửi tệp nhỏ hơn hoặc bấm «Bỏ qua»."
FILE_BAD_TYPE = "Tôi chỉ nhận tệp PDF, Word, Excel hoặc ảnh (JPG, PNG). Hãy gửi lại hoặc bấm «Bỏ qua»."
FILE_NOT_WAITING = "Báo cáo này không còn chờ tệp đính kèm."
