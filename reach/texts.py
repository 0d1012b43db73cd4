"""What the announcements and the outstanding examples say, in Vietnamese, in one place: the
message a chairperson receives, and every refusal staff may meet on the web page."""

from __future__ import annotations

KIND_NAMES = {  # reach.models.ANNOUNCEMENT_KINDS
    "news": "Tin tức, thông báo chung",
    "info_work": "Tuyên truyền, phổ biến chính sách",
    "training": "Tập huấn, hội nghị",
    "example": "Gương chủ tịch CĐCS tiêu biểu",
}
ENTERPRISE_NAMES = {"fdi": "FDI", "private": "Tư nhân", "other": "Khác"}

HEADER = "📢 {kind}"
HEADER_AGAIN = "🔔 Nhắc lại: bạn chưa bấm «Đã đọc» thông báo này."
FILE_NOTE = "📎 Tệp kèm theo: {name} — liên hệ cán bộ công đoàn cấp trên trực tiếp để nhận tệp."
FILE_SENT = "📎 Tệp kèm theo: {name} (gửi ở trên)."
FOOTER = "Bấm «Đã đọc» khi bạn đã đọc. Gõ /thongbao để chọn loại thông báo muốn nhận."
BUTTON_READ = "✅ Đã đọc"

ERRORS = {
    "empty": "Thông báo chưa có nội dung. Hãy viết nội dung trước khi gửi.",
    "too_long": "Nội dung dài {length:,} ký tự, vượt giới hạn {limit:,} ký tự. Hãy rút gọn hoặc gửi kèm tệp.",
    "title_too_long": "Tiêu đề dài quá {limit} ký tự.",
    "bad_kind": "Loại thông báo không hợp lệ.",
    "file_too_big": "Tệp «{name}» nặng {mb} MB, vượt giới hạn {limit} MB. Hãy nén hoặc chia nhỏ tệp.",
    "file_empty": "Tệp «{name}» trống.",
    "file_bad_type": "Tệp «{name}» không phải PDF, Word, Excel hay ảnh nên không gửi kèm được.",
    "nobody": ("Không có ai nhận thông báo này: không chủ tịch CĐCS nào trong sổ theo dõi khớp với "
               "nhóm đã chọn có tài khoản trên trợ lý. Hãy chọn nhóm khác."),
    "not_found": "Không tìm thấy thông báo này.",
    "denied": "Bạn chỉ gửi được thông báo tới chủ tịch CĐCS của đơn vị mình.",
    "already_sent": "Thông báo này đã được gửi; muốn nhắc người chưa đọc, hãy bấm «Nhắc người chưa đọc».",
    "not_sent": "Thông báo này chưa được gửi.",
    "nobody_unread": "Mọi người nhận được thông báo đều đã bấm «Đã đọc» (hoặc đang chờ gửi), không cần nhắc.",
    "bad_unit": "Đơn vị đã chọn không có trong danh sách.",
}

EXAMPLE_ERRORS = {
    "no_consent": ("Chưa ghi nhận sự đồng ý của chủ tịch CĐCS nên chưa đăng được. Hãy ghi rõ ai "
                   "đồng ý, ngày nào và bằng cách nào trước khi đăng."),
    "empty": "Gương tiêu biểu cần có tiêu đề và nội dung.",
    "too_long": "Nội dung dài {length:,} ký tự, vượt giới hạn {limit:,} ký tự.",
    "consent_empty": "Hãy ghi cách chủ tịch CĐCS đồng ý (ví dụ: «Đồng ý bằng văn bản ngày 02/11/2026»).",
    "bad_date": "Ngày đồng ý «{value}» không đúng dạng dd/mm/yyyy.",
    "not_found": "Không tìm thấy gương tiêu biểu này.",
    "not_chair": "Không tìm thấy chủ tịch CĐCS này trong sổ theo dõi.",
    "not_published": "Gương tiêu biểu này chưa được đăng.",
    "denied": "Chỉ cán bộ LĐLĐ tỉnh quản lý gương chủ tịch CĐCS tiêu biểu.",
}
