"""Vietnamese wording of answers (the bot's own messages live in ``bot/texts.py``)."""

LEAD_LOOKUP = "Nội dung {label}:"
LEAD_FOUND = "Vấn đề bạn hỏi được quy định tại {where} ({title})."
LEAD_FOUND_UNTITLED = "Vấn đề bạn hỏi được quy định tại {where}."
LEAD_GENERATED_NOTE = "(Tóm tắt tự động; căn cứ là phần trích dẫn nguyên văn bên dưới.)"
LOOKUP_AMBIGUOUS = "Bạn chưa nêu tên văn bản, tôi hiểu là {title}."
SOURCE_LINE = "— {label} (số {number}, {status})"
SOURCE_LINE_NO_NUMBER = "— {label} ({status})"
QUOTE_CUT = "[…] (bấm «Đọc toàn văn» để xem đầy đủ)"
SEE_ALSO = "Quy định liên quan:"
SEE_ALSO_ITEM = "• {label}: {title}"
NOT_FOUND = (
    "Tôi chưa tìm thấy nội dung trả lời câu hỏi này trong các văn bản tôi đang có "
    "({documents}). Bạn có thể hỏi lại cụ thể hơn, hoặc gửi câu hỏi để cán bộ LĐLĐ tỉnh trả lời."
)
# A subject the documents held do not govern: what it is about, which law governs it, that
# the text is not held; the bot adds the button that sends the question to staff.
OUT_OF_SCOPE = (
    "Câu hỏi của bạn là về {area}. Vấn đề này do {law} điều chỉnh; tôi chưa có văn bản đó "
    "trong kho (tôi đang có: {documents}) nên không trả lời để tránh trích dẫn sai. "
    "Bạn có thể gửi câu hỏi để cán bộ LĐLĐ tỉnh trả lời."
)
# Nothing named what it is about and nothing found stands near it: no quote, the nearest
# article named to read, and the offer to send it to staff (the bot adds both buttons).
DOUBTFUL = (
    "Tôi chưa chắc các văn bản tôi đang có ({documents}) trả lời câu hỏi này, nên không trích "
    "dẫn để tránh trả lời sai. Nội dung gần nhất tôi tìm thấy là {nearest}: bạn có "
    "thể bấm nút bên dưới để đọc và tự đối chiếu, hoặc gửi câu hỏi để cán bộ LĐLĐ tỉnh trả lời."
)
OUT_OF_SCOPE_NOT_LAW = (
    "Câu hỏi của bạn là về {area}, không phải nội dung của các văn bản pháp luật tôi đang có "
    "({documents}), nên tôi không trả lời được. Bạn có thể gửi câu hỏi để cán bộ LĐLĐ tỉnh hỗ trợ."
)
EMPTY_QUESTION = "Bạn hãy gõ câu hỏi, ví dụ: «công ty có được sa thải chủ tịch công đoàn không?»."
ARTICLE_HEADER = "{label}. {title}"
ARTICLE_SOURCE = "{document} (số {number}, {status})"
ARTICLE_MISSING = (
    "{document} không có Điều {article}. Bạn kiểm tra lại số điều, hoặc gõ câu hỏi bằng lời, "
    "ví dụ: «thời gian thử việc tối đa bao lâu»."
)
ANY_DOCUMENT = "Các văn bản tôi đang có"
