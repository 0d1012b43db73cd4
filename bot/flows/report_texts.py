"""Every Vietnamese sentence of the report, case and enrolment flows, in one place."""

from __future__ import annotations

# ---- the report, step by step ----
START = (
    "Báo cáo vụ việc gửi Liên đoàn Lao động tỉnh. Mỗi câu trả lời được lưu ngay: nếu bị gián "
    "đoạn, gõ /baocao để làm tiếp. Gõ /huy bất cứ lúc nào để huỷ. Báo cáo chưa gửi được giữ "
    "{days} ngày kể từ lần sửa cuối, sau đó tự xoá cùng các tệp đã gửi kèm."
)
ASK_CATEGORY = "Bước 1. Chuyện gì đã xảy ra? Chọn một mục:"
DRAFT_OPEN = "Bạn đang có một báo cáo chưa gửi (đang ở bước «{step}»). Bạn muốn làm tiếp hay làm lại từ đầu?"
CONTINUE = "▶️ Làm tiếp"
RESTART = "🔄 Làm lại từ đầu"
ASK_ENTERPRISE = "Bước 2. Tên doanh nghiệp (công ty) nơi xảy ra vụ việc?"
ASK_PLACE = "Bước 3. Doanh nghiệp ở đâu? (huyện/thành phố, khu công nghiệp, địa chỉ)"
ASK_WHEN = "Bước 4. Việc xảy ra khi nào? (ví dụ: 12/11/2026, hoặc «tuần trước»)"
ASK_WORKERS = "Bước 5. Có khoảng bao nhiêu người lao động bị ảnh hưởng? (gõ một con số)"
ASK_AT_RISK = "Bước 6. Người bị ảnh hưởng trực tiếp (bị sa thải, đe doạ…) là ai?"
ASK_ACCOUNT = (
    "Bước 7. Hãy kể lại sự việc: ai, làm gì, khi nào, đã có văn bản gì. Bạn có thể gửi nhiều tin "
    "nhắn liên tiếp. Khi kể xong, bấm «Xong»."
)
ACCOUNT_KEPT = "Đã lưu ({length} ký tự, tổng cộng {total} ký tự). Gửi tiếp nếu còn, hoặc bấm «Xong»."
ACCOUNT_LONG = (
    "Tin nhắn dài {length} ký tự: tôi đã lưu đầy đủ, không bỏ sót chữ nào (tổng cộng {total} ký tự). "
    "Gửi tiếp nếu còn, hoặc bấm «Xong»."
)
ACCOUNT_EMPTY = "Bạn chưa kể sự việc. Hãy gõ vài dòng mô tả rồi bấm «Xong»."
ASK_EVIDENCE = (
    "Bước 8. Bạn có bằng chứng không (ảnh chụp quyết định, biên bản, tin nhắn; tệp PDF, Word)? "
    "Gửi ảnh hoặc tệp vào đây, tối đa {limit} MB mỗi tệp. Xong thì bấm «Xong», không có thì bấm «Bỏ qua»."
)
EVIDENCE_KEPT = "Đã nhận tệp {name} ({size}). Gửi tiếp, hoặc bấm «Xong»."
EVIDENCE_TOO_BIG = "Tệp quá lớn (giới hạn {limit} MB). Bạn hãy chụp ảnh từng trang, hoặc gửi tệp nhỏ hơn."
EVIDENCE_BAD_TYPE = "Tôi chỉ nhận ảnh (JPG, PNG) và tệp PDF, Word, Excel. Tệp này không đúng loại nên chưa được lưu."
EVIDENCE_DRAFT_FILES = (
    "Báo cáo này đã có đủ {files} tệp, mức tối đa cho một báo cáo, nên tệp vừa gửi chưa được "
    "lưu. Các tệp và nội dung đã nhập vẫn được giữ nguyên. Bấm «Xong» để sang bước tiếp; sau khi "
    "gửi, bạn có thể bổ sung tệp qua /vuviec."
)
EVIDENCE_DRAFT_BYTES = (
    "Các tệp của báo cáo này đã gần {limit} MB, mức tối đa cho một báo cáo, nên tệp vừa gửi chưa "
    "được lưu. Các tệp và nội dung đã nhập vẫn được giữ nguyên. Bạn hãy gửi ảnh chụp nhỏ hơn, hoặc "
    "bấm «Xong» để sang bước tiếp."
)
EVIDENCE_DAY_LIMIT = (
    "Hôm nay bạn đã gửi đủ số tệp cho phép ({files} tệp hoặc {limit} MB mỗi ngày), nên tệp vừa gửi "
    "chưa được lưu. Những gì bạn đã nhập vẫn được giữ nguyên. Bạn hãy gửi tiếp vào ngày mai, hoặc "
    "bấm «Xong» để tiếp tục mà không có tệp này."
)
EVIDENCE_FAILED = "Tôi chưa tải được tệp này. Bạn hãy gửi lại sau ít phút."
EVIDENCE_TEXT = "Ở bước này tôi chờ ảnh hoặc tệp. Nếu muốn bổ sung lời kể, hãy gửi sau qua /vuviec. Bấm «Xong» để sang bước tiếp."
ASK_WITHHOLD = (
    "Bước 9. Bạn có muốn giữ kín danh tính với cán bộ xử lý không? Nếu chọn «Giữ kín», cán bộ chỉ "
    "thấy nội dung vụ việc; tên và tài khoản của bạn chỉ lộ ra khi lãnh đạo quyết định, có ghi lý do."
)
WITHHOLD_YES = "🔒 Giữ kín danh tính"
WITHHOLD_NO = "Không cần giữ kín"
SUMMARY = (
    "Kiểm tra lại trước khi gửi:\n"
    "• Vụ việc: {category}\n• Doanh nghiệp: {enterprise}\n• Địa điểm: {place}\n• Thời gian: {when}\n"
    "• Số người bị ảnh hưởng: {workers}\n• Người bị ảnh hưởng trực tiếp: {at_risk}\n"
    "• Lời kể: {account_length} ký tự — «{account_start}»\n• Bằng chứng: {files} tệp\n"
    "• Danh tính: {withhold}"
)
WITHHELD = "giữ kín"
NOT_WITHHELD = "không giữ kín"
SEND = "✅ Gửi"
EDIT = "✏️ Sửa"
CANCEL = "❌ Huỷ"
DONE = "Xong"
SKIP = "Bỏ qua"
EDIT_WHICH = "Bạn muốn sửa mục nào?"
EDIT_FIELDS = {"category": "Loại vụ việc", "enterprise": "Doanh nghiệp", "place": "Địa điểm",
               "when": "Thời gian", "workers": "Số người", "at_risk": "Người bị ảnh hưởng",
               "account": "Lời kể (viết lại)", "evidence": "Thêm bằng chứng", "withhold": "Danh tính"}
STEP_NAMES = {"category": "loại vụ việc", "enterprise": "doanh nghiệp", "place": "địa điểm",
              "when": "thời gian", "workers": "số người", "at_risk": "người bị ảnh hưởng",
              "account": "lời kể", "evidence": "bằng chứng", "withhold": "danh tính",
              "summary": "kiểm tra lại"}
NEED_TEXT = "Ở bước này tôi cần bạn gõ chữ. {prompt}"
NEED_BUTTON = "Bạn hãy bấm một trong các nút ở trên. {prompt}"
TOO_LONG_FIELD = "Câu trả lời dài quá ({length} ký tự, tối đa {limit}). Phần kể chi tiết để ở bước 7."
CANCELLED = "Đã huỷ báo cáo. Không có gì được gửi đi; nội dung và tệp bạn đã nhập đã được xoá."
CANCELLED_ACTION = "Đã huỷ thao tác."
NOTHING_TO_CANCEL = "Bạn không có báo cáo nào đang làm."
SUBMITTED = (
    "Đã gửi. Mã vụ việc của bạn: {code}\n\n"
    "{next}\n"
    "Hạn tiếp nhận: {due}. Khi trạng thái thay đổi hoặc cán bộ cần hỏi thêm, tôi sẽ nhắn bạn tại đây. "
    "Gõ /vuviec để xem vụ việc của bạn, bổ sung thông tin hoặc bằng chứng."
)
NEXT_PROTECTION = (
    "Đây là vụ việc bảo vệ cán bộ công đoàn: cán bộ LĐLĐ tỉnh đã được báo ngay và sẽ liên hệ "
    "trong vòng 1 ngày làm việc. Bạn nên giữ lại mọi giấy tờ, tin nhắn liên quan và chưa ký "
    "văn bản nào do công ty đưa nếu chưa rõ nội dung."
)
NEXT_GRIEVANCE = "Cán bộ LĐLĐ tỉnh sẽ xem xét và phản hồi trong vòng 3 ngày làm việc."
UNVERIFIED_NOTE = "(Bạn chưa đăng ký tài khoản chủ tịch CĐCS, nên vụ việc được ghi là «chưa xác minh»; vụ việc vẫn được xử lý.)"
REPORT_BUTTON = "📝 Báo cáo vụ việc"

# ---- alerts and messages to staff ----
ALERT = (
    "🚨 VỤ VIỆC BẢO VỆ CÁN BỘ CÔNG ĐOÀN {code}\n"
    "Loại: {category}\nDoanh nghiệp: {enterprise}\nĐơn vị: {unit}\nNgười báo: {reporter}\n"
    "Hạn tiếp nhận: {due}\n\n{start}"
)
NEW_GRIEVANCE = "📥 Vụ việc mới {code}: {category} — {enterprise}. Hạn tiếp nhận: {due}."
GROUP_ALERT = "{kind} {code}. Hạn tiếp nhận: {due}.\nBấm «Mở vụ việc» để xem nội dung trong tin nhắn riêng."
GROUP_KIND = {True: "🚨 Vụ việc bảo vệ cán bộ công đoàn mới", False: "📥 Vụ việc mới"}
REPORTER_HIDDEN = "giữ kín danh tính"
REPORTER_UNVERIFIED = "{name} (chưa xác minh)"
NO_UNIT = "chưa rõ"

# ---- /vuviec for staff ----
STAFF_LIST = "Vụ việc đang mở ({count}){filter}:"
STAFF_EMPTY = "Không có vụ việc nào đang mở{filter}."
FILTER_NAMES = {"": "", "protection": " — chỉ vụ bảo vệ", "mine": " — giao cho tôi", "overdue": " — quá hạn"}
FILTER_BUTTONS = {"protection": "🛡 Vụ bảo vệ", "mine": "👤 Của tôi", "overdue": "⏰ Quá hạn", "": "📋 Tất cả"}
ROW = "{mark}{code} · {category} · {status}{overdue}"
OVERDUE = " · QUÁ HẠN"
CASE_CARD = (
    "{code} — {category}\nTrạng thái: {status} · Ưu tiên: {priority} · Hạn tiếp nhận: {due}\n"
    "Phụ trách: {assignee}\nNgười báo: {reporter}\n"
    "Doanh nghiệp: {enterprise} — {place}\nThời gian: {when} · Số người: {workers} · "
    "Người bị ảnh hưởng: {at_risk}\n\nLời kể:\n{account}\n\nBằng chứng: {files} tệp\n"
    "Điều luật liên quan:\n{laws}\n\nDiễn biến:\n{events}"
)
PRIORITY = {"high": "CAO", "normal": "thường"}
NOBODY = "chưa giao"
NO_LAWS = "(chưa tìm thấy)"
EVENT_LINE = "• {at} {what}{by}{note}"
ASSIGN = "👤 Giao việc"
ASSIGN_ME = "👤 Giao cho tôi"
STATUS = "🔁 Đổi trạng thái"
WRITE = "✉️ Nhắn người báo"
CLOSE = "🔒 Đóng vụ việc"
REVEAL = "🔓 Xem danh tính người báo"
ASK_REVEAL_REASON = "Danh tính người báo {code} đang được giữ kín. Gõ lý do cần xem (được ghi vào nhật ký):"
REVEALED = "Danh tính người báo {code} (đã ghi nhật ký): {name} · @{username} · {channel} {external_id}"
CHOOSE_STATUS = "Chọn trạng thái mới cho {code}:"
CHOOSE_ASSIGNEE = "Giao {code} cho ai?"
ASK_NOTE = "Ghi chú cho việc chuyển {code} sang «{status}» (gõ «-» nếu không có):"
ASK_MESSAGE = "Gõ tin nhắn gửi người báo vụ việc {code}. Tin được chuyển qua trợ lý, không lộ tài khoản của bạn."
ACKED = "Đã tiếp nhận {code}. Người báo đã được thông báo."
STATUS_DONE = "Đã chuyển {code} sang «{status}»."
ASSIGN_DONE = "Đã giao {code} cho {name}."
IN_PRIVATE = (
    "🔒 {name}: vụ việc được mở trong tin nhắn riêng với trợ lý, không hiện trong nhóm. Nếu chưa "
    "thấy tin nhắn, hãy mở trò chuyện riêng với trợ lý (bấm vào tên trợ lý, chọn «Bắt đầu»/Start) "
    "rồi bấm lại nút."
)
YOU = "Bạn"
DENIED = "Bạn không có quyền xem hoặc thao tác với vụ việc này."
NOT_FOUND = "Không tìm thấy vụ việc này."
BAD_STATUS = "Không đổi được trạng thái này (vụ việc đã đóng, hoặc đang ở trạng thái đó)."

# ---- /vuviec for reporters ----
MY_LIST = "Vụ việc bạn đã báo ({count}):"
MY_EMPTY = "Bạn chưa báo vụ việc nào. Gõ /baocao để báo cáo."
MY_CARD = "{code} — {category}\nTrạng thái: {status}\nNgày gửi: {created}\n\nTin nhắn của cán bộ:\n{messages}"
NO_MESSAGES = "(chưa có)"
ADD_INFO = "➕ Bổ sung thông tin"
ASK_ADD = "Gõ thông tin bổ sung hoặc gửi ảnh, tệp cho vụ việc {code}. Xong thì bấm «Xong»."
ASK_REPLY = "Gõ câu trả lời cho cán bộ về vụ việc {code}:"
ADDED = "Đã thêm vào vụ việc {code}. Cán bộ phụ trách đã được báo."
REPLIED = "Đã chuyển câu trả lời của bạn tới cán bộ phụ trách vụ việc {code}."

# ---- enrolment ----
ENROLLED = {
    "chairperson": "Đăng ký thành công: bạn là chủ tịch {organisation}. Từ nay bạn có thể báo cáo vụ việc bằng /baocao và theo dõi bằng /vuviec.",
    "unit_officer": "Đăng ký thành công: bạn là cán bộ đơn vị. Bạn sẽ nhận nhắc hạn báo cáo và các vụ việc được giao.",
    "provincial_staff": "Đăng ký thành công: bạn là cán bộ LĐLĐ tỉnh. Gõ /vuviec để xem các vụ việc.",
    "admin": "Đăng ký thành công: bạn là quản trị viên. Gõ /vuviec để xem các vụ việc.",
}
INVITE_PROBLEMS = {
    "unknown": "Mã mời không đúng. Bạn hãy kiểm tra lại đường link hoặc xin mã mới từ LĐLĐ.",
    "expired": "Mã mời đã hết hạn. Bạn hãy xin mã mới từ cán bộ LĐLĐ tỉnh.",
    "revoked": "Mã mời đã bị thu hồi. Bạn hãy liên hệ cán bộ LĐLĐ tỉnh.",
    "used": "Mã mời này đã được dùng. Mỗi mã chỉ dùng một lần; bạn hãy xin mã mới nếu cần.",
}
YOUR_CDCS = "CĐCS của bạn"

# Typed instead of pressing «Xong» / «Bỏ qua» (compared without diacritics, lower case).
DONE_WORDS = frozenset({"xong", "da xong", "xong roi", "het", "bo qua", "khong co", "done"})
