"""The words of the case workflow, shared by the bot and the staff web page: the names of
categories, statuses and events, and the messages the desk relays between staff and reporters."""

from __future__ import annotations

CATEGORY_LABELS: dict[str, str] = {
    "officer_dismissed": "Cán bộ công đoàn bị sa thải, chấm dứt hợp đồng",
    "officer_threatened": "Cán bộ công đoàn bị đe doạ sa thải",
    "officer_moved": "Cán bộ công đoàn bị điều chuyển, giáng chức",
    "officer_discriminated": "Cán bộ công đoàn bị trừ lương, phân biệt đối xử vì hoạt động công đoàn",
    "wages": "Nợ lương, trả lương chậm",
    "insurance": "Không đóng, nợ bảo hiểm xã hội",
    "safety": "Mất an toàn lao động, tai nạn lao động",
    "interference": "Cản trở hoạt động công đoàn",
    "no_dialogue": "Từ chối đối thoại, thương lượng",
    "other": "Việc khác",
}
STATUS_LABELS: dict[str, str] = {
    "new": "mới", "acknowledged": "đã tiếp nhận", "in_progress": "đang xử lý",
    "referred": "đã chuyển cơ quan chức năng", "resolved": "đã giải quyết", "closed": "đã đóng",
}
AT_RISK_LABELS = {"self": "Chính tôi", "other": "Người khác", "none": "Không có ai cụ thể"}
OPEN = "📂 Mở vụ việc"
ACK = "✅ Tiếp nhận"
FROM_REPORTER = "💬 Người báo {code} trả lời:\n{text}"
INFO_FROM_REPORTER = "📎 Người báo {code} bổ sung: {text}"
# The staff group sees codes only: case content goes to private chats (issue 9).
NEWS_TO_GROUP = "💬 Vụ việc {code} có tin mới từ người báo. Bấm «Mở vụ việc» để xem trong tin nhắn riêng."
ASSIGNED_TO_YOU = "📌 Bạn được giao vụ việc {code} ({category}). Gõ /vuviec để xem."
EVENT_NAMES = {"created": "tạo vụ việc", "status": "đổi trạng thái", "assigned": "giao cho",
               "to_reporter": "nhắn người báo", "from_reporter": "người báo trả lời",
               "info": "người báo bổ sung", "evidence": "thêm bằng chứng"}
MESSAGE_SENT = "Đã chuyển tin nhắn tới người báo vụ việc {code}."
REPORTER_GONE = "Lưu ý: người báo đã chặn trợ lý hoặc không còn liên lạc được; tin nhắn được ghi vào vụ việc nhưng chưa đến được họ."
REPLY = "↩️ Trả lời"
TO_REPORTER = "✉️ Cán bộ LĐLĐ tỉnh nhắn về vụ việc {code}:\n{text}"
STATUS_TO_REPORTER = "🔔 Vụ việc {code} của bạn đã chuyển sang «{status}».{note}"
NOTE_SUFFIX = "\nGhi chú: {note}"
