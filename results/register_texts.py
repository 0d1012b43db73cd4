"""Every Vietnamese sentence of the register (values, import, access), in one place."""

from __future__ import annotations

# ---- one value -----------------------------------------------------------------------------
NOT_A_NUMBER = "không phải một số nguyên"
NEGATIVE = "không được là số âm"
OUT_OF_RANGE = "phải từ {low} đến {high}"
NOT_A_DATE = "không đọc được ngày: dùng ngày của Excel hoặc viết dd/mm/yyyy (ví dụ 15/03/2025)"
NOT_A_CHOICE = "không hiểu giá trị này: dùng {choices}"
NOT_A_PHONE = "số điện thoại không hợp lệ (8–12 chữ số)"
TOO_LONG = "dài quá {limit} ký tự"
COMMENDATION_NO_DATE = "mỗi khen thưởng cần ngày dd/mm/yyyy hoặc năm, ví dụ «Bằng khen LĐLĐ tỉnh (15/01/2025)»"
REQUIRED_VALUE = "không được để trống"
MEMBERS_OVER_WORKERS = "số đoàn viên ({members}) lớn hơn số lao động ({workers})"
TERM_BACKWARDS = "nhiệm kỳ kết thúc ({end}) trước khi bắt đầu ({start})"
TRAININGS_MISMATCH = ("có {dates} ngày tập huấn nhưng {other} mục «{column}»: mỗi khoá một mục, "
                      "cách nhau bằng dấu chấm phẩy (;)")

CHOICE_HINTS = {
    "enterprise_type": "«FDI», «tư nhân» hoặc «khác»",
    "full_time": "«chuyên trách» hoặc «kiêm nhiệm»",
    "elected_how": "«trực tiếp tại đại hội» hoặc «BCH bầu»",
    "party_status": "«giới thiệu» hoặc «kết nạp», có thể kèm ngày dd/mm/yyyy",
}

# ---- what the fields are called on the page and in the bot -----------------------------------
FIELD_LABELS = {
    "name": "Tên CĐCS",
    "enterprise": "Doanh nghiệp",
    "enterprise_type": "Loại hình doanh nghiệp",
    "workers": "Số lao động",
    "members": "Số đoàn viên",
    "full_name": "Họ tên chủ tịch",
    "phone": "Điện thoại",
    "birth_year": "Năm sinh",
    "full_time": "Chuyên trách/Kiêm nhiệm",
    "term_start": "Nhiệm kỳ từ",
    "term_end": "Nhiệm kỳ đến",
    "elected_how": "Hình thức bầu",
    "party_status": "Đảng (giới thiệu/kết nạp)",
    "party_on": "Ngày giới thiệu/kết nạp Đảng",
}
VALUE_NAMES = {
    "enterprise_type": {"fdi": "FDI", "private": "Tư nhân", "other": "Khác"},
    "full_time": {True: "Chuyên trách", False: "Kiêm nhiệm"},
    "elected_how": {"direct": "Trực tiếp tại đại hội", "committee": "BCH bầu", "": "Chưa rõ"},
    "party_status": {"": "Chưa", "introduced": "Đã giới thiệu", "admitted": "Đã kết nạp"},
}
EMPTY = "—"
SOURCE_NAMES = {"import": "nhập bảng tính", "web": "trang web", "bot": "trợ lý", "cli": "dòng lệnh",
                "correction": "chủ tịch đề nghị, cán bộ xác nhận"}

# ---- access and actions --------------------------------------------------------------------
ERRORS = {
    "not_found": "Không có hồ sơ này trong sổ theo dõi.",
    "denied": "Bạn không có quyền xem hoặc sửa hồ sơ này.",
    "unknown_unit": "Không có đơn vị mã {code}.",
    "unknown_field": "Không có mục «{field}» trong hồ sơ.",
    "bad_value": "«{label}»: {problem}.",
    "duplicate_name": "Đơn vị đã có một CĐCS tên «{name}».",
    "not_a_chair": "Người được chọn chưa đăng ký với trợ lý là chủ tịch CĐCS của đơn vị này.",
    "linked_elsewhere": "Người này đang được liên kết với hồ sơ chủ tịch của «{name}»; hãy bỏ liên kết đó trước.",
    "already_decided": "Đề nghị sửa này đã được xử lý.",
    "no_chair": "CĐCS này chưa có chủ tịch trong sổ.",
}

# ---- the import ----------------------------------------------------------------------------
NOT_A_WORKBOOK = ("Tệp không phải bảng tính đọc được: chỉ nhận .xlsx (Excel) hoặc .csv (UTF-8, "
                  "phân cách bằng dấu phẩy hoặc chấm phẩy).")
OLD_XLS = "Tệp .xls (Excel 97–2003) chưa được hỗ trợ: hãy mở trong Excel và lưu lại thành .xlsx."
EMPTY_FILE = "Tệp không có dòng dữ liệu nào."
NO_HEADER = ("Không tìm thấy dòng tiêu đề có đủ các cột bắt buộc ({required}) trong 10 dòng đầu. "
             "Các tiêu đề đọc được: {found}.")
MISSING_COLUMNS = "Thiếu cột bắt buộc: {missing} (dòng tiêu đề là dòng {row})."
DUPLICATE_COLUMN = "Cột «{label}» xuất hiện hai lần trong dòng tiêu đề (cột {first} và cột {second})."
MERGED_HEADER = ("Dòng tiêu đề có ô gộp ({ranges}): hãy bỏ gộp ô để mỗi cột có một tiêu đề "
                 "riêng trên cùng một dòng.")
TOO_MANY_ROWS = "Tệp có hơn {cap} dòng dữ liệu: hãy chia nhỏ (tối đa {cap} dòng một lần nhập)."
DUPLICATE_UNION = "CĐCS trùng với dòng {first}"
DUPLICATE_CHAIR = "chủ tịch trùng với dòng {first} (cùng họ tên và {by})"
BY_PHONE = "số điện thoại"
BY_YEAR = "năm sinh"
REFUSED_FILE = "Không nhập gì: {count} dòng bị từ chối. Sửa các dòng dưới đây rồi nhập lại cả tệp."
SUMMARY = "Thêm mới {created}, cập nhật {updated}, không đổi {unchanged}, từ chối {refused}."
DRY_RUN = "Chạy thử: chưa ghi gì vào sổ."
IGNORED_COLUMNS = "Bỏ qua các cột không dùng: {columns}."
PROBLEM = "Dòng {row}, cột «{column}»: {reason}"
PROBLEM_ROW = "Dòng {row}: {reason}"
