"""Every Vietnamese sentence of the unit's report (the form on the web page and in the bot)."""

from __future__ import annotations

# ---- refusals: each names the indicator, so the officer knows which figure to fix ----
NOT_A_NUMBER = "«{name}»: «{value}» không phải là một số nguyên. Hãy nhập một số như 0, 12 hoặc 150."
NEGATIVE = "«{name}»: số liệu không được âm."
TOO_BIG = "«{name}»: {value} quá lớn, hãy kiểm tra lại."
OVER_TOTAL = "«{name}» ({value}) không được lớn hơn «{total_name}» ({total})."
MISSING = "Chưa nhập: {names}."
UNKNOWN_FIGURE = "Biểu mẫu không có chỉ tiêu «{code}»."
UNKNOWN_PART = "Biểu mẫu không có phần «{code}»."

NOT_FOUND = "Không có hạn báo cáo này."
NOT_YOURS = "Anh/chị không phụ trách đơn vị của báo cáo này."
NO_FORM = "Hạn này không có biểu mẫu báo cáo kết quả (chỉ báo cáo 6 tháng và báo cáo năm của đơn vị)."
ALREADY_SUBMITTED = "Báo cáo này đã nộp. Muốn sửa, hãy tạo phiên bản mới."
NOTHING_TO_CORRECT = "Báo cáo này chưa nộp, cứ sửa trực tiếp bản đang soạn."

# ---- states, as the list of reports shows them ----
STATE_NONE = "Chưa điền"
STATE_DRAFT = "Đang soạn"
STATE_SUBMITTED = "Đã nộp"
STATE_CORRECTING = "Đã nộp, đang sửa (phiên bản {version})"
STATE_CORRECTED = "Đã nộp (phiên bản {version})"
STATE_SUBMITTED_NO_FORM = "Đã bấm «Đã nộp» (chưa điền biểu mẫu)"

TOO_LONG = "«{heading}»: tối đa {limit} ký tự (đang có {length}). Hãy rút gọn rồi lưu lại."
