"""The words of the province's report: its Word document, its workbook, its charts, the staff
page and ``cdcs reports``. Kept together so the Ban Tổ chức's wording is changed in one place."""

from __future__ import annotations

# A unit's status for the period (``results.province.UnitRow.status``).
STATUS_NAMES = {
    "on_time": "đã nộp đúng hạn",
    "late": "nộp muộn",
    "missing": "chưa nộp",
    "corrected": "đã nộp, có bản sửa",
}

PROVINCE = "Toàn tỉnh"
NOT_SUBMITTED = "chưa nộp"
NONE_SAID = "Không có đơn vị nào nêu."

# ---- the Word document (Nghị định 30/2020/NĐ-CP layout) ----------------------------------------
ISSUER_PARENT = "LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH"
ISSUER = "BAN TỔ CHỨC"
NUMBER = "Số:        /BC-BTC"
NATION = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PLACE_DATE = "Ninh Bình, ngày {day:02d} tháng {month:02d} năm {year}"
TITLE = "BÁO CÁO"
SUBTITLE = ("Kết quả thực hiện Kế hoạch xây dựng đội ngũ chủ tịch CĐCS ngoài khu vực nhà nước, {label}")
ADDRESSEE = "Kính gửi: Tổng Liên đoàn Lao động Việt Nam (Ban Tổ chức)"
INTRO = ("Thực hiện Kế hoạch xây dựng đội ngũ chủ tịch công đoàn cơ sở ngoài khu vực nhà nước, "
         "trên cơ sở báo cáo của các LĐLĐ huyện, thành phố, công đoàn ngành và Công đoàn các KCN, "
         "Ban Tổ chức LĐLĐ tỉnh Ninh Bình báo cáo kết quả {label} như sau:")

SECTION_STATUS = "I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ"
STATUS_SUMMARY = ("Có {submitted}/{total} đơn vị đã nộp báo cáo ({on_time} đúng hạn, {late} nộp muộn); "
                  "{missing} đơn vị chưa nộp (số liệu tính đến ngày {as_of}).")
MISSING_LIST = "Đơn vị chưa nộp báo cáo: {names}."
MISSING_NOTE = "Số liệu toàn tỉnh dưới đây chưa gồm các đơn vị chưa nộp báo cáo."
LATE_LIST = "Đơn vị nộp muộn: {names}."
LATE_ITEM = "{name} (hạn {due}, nộp {submitted})"
CORRECTED_LIST = "Đơn vị đã gửi bản sửa sau khi nộp: {names}."
CORRECTED_ITEM = "{name} (bản {version})"
STATUS_COLUMNS = ("TT", "Đơn vị", "Hạn nộp", "Ngày nộp", "Tình trạng")

SECTION_FIGURES = "II. KẾT QUẢ THEO CHỈ TIÊU"
FIGURES_TARGETS = "1. Tiến độ các chỉ tiêu của Kế hoạch"
TARGET_COLUMNS = ("TT", "Chỉ tiêu", "Mục KH", "Kết quả", "Tỷ lệ đạt", "Chỉ tiêu KH", "Xu hướng các kỳ")
TARGET_REACHED = "{reached}% ({value}/{of})"
TARGET_GOAL = "{target}% ({by})"
TARGET_BY = {"every_year": "hằng năm", "end_of_term": "cuối nhiệm kỳ", "": ""}
FIGURES_TOTALS = "2. Số liệu toàn tỉnh"
TOTAL_COLUMNS = ("TT", "Chỉ tiêu", "Mục KH", "ĐVT", "Toàn tỉnh")
FIGURES_UNITS = "3. Số liệu theo đơn vị"
SECTION_TABLE = "Mục {section} của Kế hoạch"
UNIT_COLUMN = "Đơn vị"
FIGURES_CHARTS = "4. Biểu đồ"
CHART_CAPTION_BARS = "Biểu đồ 1. Tỷ lệ đạt các chỉ tiêu theo đơn vị so với chỉ tiêu Kế hoạch"
CHART_CAPTION_TREND = "Biểu đồ 2. Tỷ lệ đạt toàn tỉnh qua các kỳ báo cáo"

SECTION_NARRATIVE = "III. TỔNG HỢP Ý KIẾN CỦA CÁC ĐƠN VỊ"
SECTION_PROPOSALS = "IV. ĐỀ XUẤT, KIẾN NGHỊ"
PROPOSALS_OWN = ("(Ban Tổ chức bổ sung đề xuất, kiến nghị của LĐLĐ tỉnh với Tổng Liên đoàn.)")
PROPOSALS_UNITS = "Đề xuất, kiến nghị của các đơn vị:"

RECIPIENTS = ("Nơi nhận:", "- Như trên;", "- Thường trực LĐLĐ tỉnh (để b/c);", "- Lưu: VT, BTC.")
SIGNATURE = ("TM. BAN TỔ CHỨC", "TRƯỞNG BAN")

# ---- the charts ------------------------------------------------------------------------------
CHART_TARGET = "Chỉ tiêu {target:g}%"
CHART_REACHED_AXIS = "Tỷ lệ đạt (%)"
CHART_NO_DATA = "chưa có số liệu"

# ---- the workbook ----------------------------------------------------------------------------
SHEET_STATUS = "Tình hình nộp"
SHEET_TARGETS = "Chỉ tiêu"
SHEET_SECTION = "Mục {section}"
STATUS_SHEET_COLUMNS = ("TT", "Mã đơn vị", "Đơn vị", "Hạn nộp", "Ngày nộp", "Tình trạng", "Bản", "Bản sửa nộp lúc")
TARGET_SHEET_COLUMNS = ("Mã", "Chỉ tiêu", "Mục KH", "Kết quả", "Mẫu số", "Tỷ lệ đạt (%)", "Chỉ tiêu KH (%)", "Thời hạn")
SECTION_SHEET_HEAD = ("Mã đơn vị", "Đơn vị", "Tình trạng")

# ---- the command line ------------------------------------------------------------------------
CLI_HEAD = "Báo cáo kết quả {label} (tính đến {as_of}): {submitted}/{total} đơn vị đã nộp."
CLI_UNIT = "  - {name}: {status}"
CLI_TARGET = "  {name}: {reached} (chỉ tiêu {target:g}%)"
CLI_TARGETS = "Tiến độ chỉ tiêu toàn tỉnh:"
CLI_NO_UNITS = ("Kỳ {label} chưa có hạn báo cáo nào của các đơn vị (chạy cdcs deadlines generate "
                "--year {year}).")
CLI_WRITTEN = "Đã ghi {path}."
CLI_NOTHING = "hãy chọn ít nhất một tệp: --docx TỆP và/hoặc --xlsx TỆP"
CLI_CANNOT_WRITE = "không ghi được tệp {path}: {reason}"
