"""Every Vietnamese sentence of /hoso (a chairperson's own record in the register)."""

from __future__ import annotations

NOT_LINKED = (
    "Hồ sơ của anh/chị chưa có trong Sổ theo dõi CĐCS, hoặc chưa được liên kết với tài khoản này. "
    "Anh/chị hãy báo cán bộ LĐLĐ huyện/ngành phụ trách để được liên kết; sau đó gõ lại /hoso."
)
HEADER = "Hồ sơ của anh/chị trong Sổ theo dõi CĐCS ({unit}):"
LINE = "• {label}: {value}"
TRAININGS = "Tập huấn: {items}"
INFO_WORK = "Được tuyên truyền các năm: {items}"
COMMENDATIONS = "Khen thưởng: {items}"
NONE = "chưa có"
PENDING = "Đang chờ cán bộ đơn vị xác nhận: {items}"
HOW_TO_FIX = "Thấy thông tin nào chưa đúng, bấm «Đề nghị sửa»; cán bộ đơn vị sẽ xác nhận trước khi sổ được sửa."
BUTTON_FIX = "✏️ Đề nghị sửa"
PICK_FIELD = "Anh/chị muốn sửa mục nào?"
ASK_VALUE = "Nhập giá trị đúng cho «{label}» (hiện ghi: {old}).{hint} Gõ /huy để thôi."
HINTS = {
    "term_start": " Ghi ngày dạng dd/mm/yyyy.",
    "term_end": " Ghi ngày dạng dd/mm/yyyy.",
    "party_on": " Ghi ngày dạng dd/mm/yyyy.",
    "enterprise_type": " Ghi: FDI, tư nhân hoặc khác.",
    "full_time": " Ghi: chuyên trách hoặc kiêm nhiệm.",
    "elected_how": " Ghi: trực tiếp tại đại hội, hoặc BCH bầu.",
    "party_status": " Ghi: giới thiệu hoặc kết nạp, có thể kèm ngày.",
    "workers": " Ghi một con số.",
    "members": " Ghi một con số.",
    "birth_year": " Ghi năm, ví dụ 1985.",
}
BAD_VALUE = "{problem} Anh/chị gõ lại, hoặc gõ /huy để thôi."
SENT = (
    "Đã gửi đề nghị sửa «{label}»: {old} → {new}. Cán bộ {unit} sẽ xác nhận; khi đó sổ theo dõi "
    "mới được sửa và trợ lý sẽ báo anh/chị."
)
SENT_NO_OFFICER = (
    "Đã ghi đề nghị sửa «{label}»: {old} → {new}. Đơn vị chưa có cán bộ nhận tin trên trợ lý; "
    "đề nghị chờ trên trang Sổ theo dõi CĐCS để cán bộ xác nhận."
)
TO_OFFICER = (
    "Chủ tịch {chair} ({union}) đề nghị sửa hồ sơ trong Sổ theo dõi CĐCS:\n"
    "«{label}»: {old} → {new}\n"
    "Anh/chị xác nhận hoặc từ chối trên trang web cán bộ, mục «Sổ theo dõi CĐCS» "
    "(địa chỉ /staff/register/{union_id})."
)
CANCELLED = "Đã thôi, không gửi đề nghị sửa nào. Gõ /hoso để xem lại hồ sơ."
