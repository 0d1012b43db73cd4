"""Every Vietnamese sentence of the unit's report in the bot (/baocaoketqua, «Điền báo cáo»)."""

from __future__ import annotations

START = ("📝 {obligation} — {unit}, kỳ {period}.\n"
         "Tôi hỏi lần lượt {figures} số liệu rồi {parts} phần nhận xét. Số tính từ Sổ theo dõi CĐCS đã "
         "được điền sẵn: bấm «Giữ nguyên» nếu đúng, hoặc gõ số khác. Mỗi câu trả lời được lưu ngay; "
         "bấm «Tạm dừng» hoặc gõ /baocaoketqua để làm tiếp sau.")
RESUME = "Làm tiếp báo cáo {obligation} — {unit}, kỳ {period}."
ASK_FIGURE = "Số liệu {n}/{total} (mục {section})\n{name} ({unit})"
REGISTER_SAYS = "Theo sổ theo dõi: {computed}."
NOW_FILLED = "Đang điền: {value}."
TYPE_NUMBER = "Gõ một số nguyên (0 nếu không có)."
TYPE_OR_KEEP = "Gõ số khác, hoặc bấm «Giữ nguyên»."
ASK_PART = "Phần nhận xét {n}/{total}: {heading}\nGõ nội dung (một tin nhắn), hoặc bấm «{skip}»."
PART_NOW = "Đang có: «{text}»"
SAID_AGAIN = "Hãy trả lời lại câu này:"

BUTTON_KEEP = "✅ Giữ nguyên ({value})"
BUTTON_ZERO = "0 (không có)"
BUTTON_SKIP = "Bỏ qua"
BUTTON_KEEP_TEXT = "Giữ nguyên"
BUTTON_PAUSE = "⏸ Tạm dừng"
BUTTON_SUBMIT = "✅ Nộp báo cáo"
BUTTON_REVIEW = "🔄 Xem lại từ đầu"
BUTTON_CORRECT = "✏️ Sửa (tạo phiên bản mới)"

SUMMARY_HEAD = "📋 Tóm tắt — {obligation}, {unit}, kỳ {period}{version}:"
SUMMARY_VERSION = " (phiên bản {version})"
SUMMARY_LINE = "• {name}: {value}"
SUMMARY_EDITED = " (theo sổ: {computed})"
SUMMARY_MISSING = "chưa nhập"
SUMMARY_PART = "• {heading}: {text}"
SUMMARY_EMPTY = "(để trống)"
SUMMARY_ASK = "Bấm «Nộp báo cáo» để nộp. Sau khi nộp chỉ sửa được bằng phiên bản mới."

SUBMITTED = ("✅ Đã nộp: {obligation} của {unit} (kỳ {period}{version}). "
             "Hạn này được ghi nhận là đã nộp, sẽ không nhắc nữa. Cảm ơn anh/chị!")
SUBMITTED_READ_ONLY = ("{obligation} của {unit} (kỳ {period}) đã nộp{version}. "
                       "Muốn sửa, bấm «Sửa (tạo phiên bản mới)»: bản đã nộp vẫn được giữ.")
PAUSED = "Đã lưu những gì anh/chị đã điền. Gõ /baocaoketqua để làm tiếp."
CHOOSE = "Anh/chị muốn điền báo cáo nào?"
NONE_OPEN = "Hiện không có báo cáo kết quả nào đang chờ đơn vị anh/chị điền."
OFFICERS_ONLY = "Chức năng này dành cho cán bộ phụ trách báo cáo của đơn vị."
GONE = "Báo cáo này không còn ở bước đó. Gõ /baocaoketqua để làm tiếp."
