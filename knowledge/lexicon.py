"""What users type versus what the texts say: abbreviations, document names, everyday words.

Data only. Keys are matched on the folded form (no diacritics, lowercase), so "CĐCS", "cdcs"
and "cđcs" all hit the same entry. Written from the vocabulary of Vietnamese labour law and of
union work, not from any test question.
"""

from __future__ import annotations

# Abbreviations → expansion. Retrieval ADDS the expansion beside the abbreviation: the plan
# itself writes "CĐCS", "LĐLĐ", "KCN", so replacing them would lose exact matches.
ABBREVIATIONS: dict[str, str] = {
    "cdcs": "công đoàn cơ sở",
    "cd": "công đoàn",
    "cđ": "công đoàn",
    "nld": "người lao động",
    "nsdld": "người sử dụng lao động",
    "sdld": "sử dụng lao động",
    "blld": "bộ luật lao động",
    "hdld": "hợp đồng lao động",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "bhtn": "bảo hiểm thất nghiệp",
    "atvsld": "an toàn vệ sinh lao động",
    "atld": "an toàn lao động",
    "vsld": "vệ sinh lao động",
    "tuldtt": "thỏa ước lao động tập thể",
    "tldtt": "thỏa ước lao động tập thể",
    "bch": "ban chấp hành",
    "btv": "ban thường vụ",
    "uv": "ủy viên",
    "ldld": "liên đoàn lao động",
    "tld": "tổng liên đoàn lao động việt nam",
    "kcn": "khu công nghiệp",
    "kcx": "khu chế xuất",
    "dvcd": "đoàn viên công đoàn",
    "dv": "đoàn viên",
    "nd": "nghị định",
    "nđ": "nghị định",
    "cp": "chính phủ",
    "kpcd": "kinh phí công đoàn",
    "tnld": "tai nạn lao động",
    "bnn": "bệnh nghề nghiệp",
    "ct": "chủ tịch",
    "pct": "phó chủ tịch",
    "dn": "doanh nghiệp",
    "fdi": "doanh nghiệp có vốn đầu tư nước ngoài",
    "gd": "giám đốc",
    "tgd": "tổng giám đốc",
    "tlxh": "thương lượng tập thể",
    "tltt": "thương lượng tập thể",
    "hdtt": "hội đồng trọng tài lao động",
    "hgv": "hòa giải viên lao động",
    "tcdd": "tổ chức đại diện người lao động",
    "tcddnld": "tổ chức đại diện người lao động",
    "gpld": "giấy phép lao động",
    "ldnn": "lao động nước ngoài",
    "tp": "thành phố",
    "ubnd": "ủy ban nhân dân",
    "ktcd": "kiểm tra công đoàn",
    "ubkt": "ủy ban kiểm tra",
}

# Names users give the documents → doc_id. Longest alias wins in ``lookup``.
DOC_ALIASES: dict[str, str] = {
    "bộ luật lao động": "blld-2019",
    "bộ luật lao động 2019": "blld-2019",
    "luật lao động": "blld-2019",
    "blld": "blld-2019",
    "blld 2019": "blld-2019",
    "bll": "blld-2019",
    "bộ luật": "blld-2019",
    "luật công đoàn": "luat-cd-2024",
    "luật công đoàn 2024": "luat-cd-2024",
    "luật cđ": "luat-cd-2024",
    "luật cd": "luat-cd-2024",
    "lcd": "luat-cd-2024",
    "lcđ": "luat-cd-2024",
    "luật an toàn vệ sinh lao động": "luat-atvsld-2015",
    "luật an toàn, vệ sinh lao động": "luat-atvsld-2015",
    "luật atvsld": "luat-atvsld-2015",
    "luật atvslđ": "luat-atvsld-2015",
    "luật atld": "luat-atvsld-2015",
    "luật an toàn lao động": "luat-atvsld-2015",
    "luật vệ sinh lao động": "luat-atvsld-2015",
    "nghị định 145": "nd-145-2020",
    "nghị định 145/2020": "nd-145-2020",
    "nđ 145": "nd-145-2020",
    "nd 145": "nd-145-2020",
    "nd145": "nd-145-2020",
    "145/2020": "nd-145-2020",
    "145/2020/nđ-cp": "nd-145-2020",
    "nghị định 12": "nd-12-2022",
    "nghị định 12/2022": "nd-12-2022",
    "nđ 12": "nd-12-2022",
    "nd 12": "nd-12-2022",
    "nd12": "nd-12-2022",
    "12/2022": "nd-12-2022",
    "12/2022/nđ-cp": "nd-12-2022",
    "nghị định xử phạt": "nd-12-2022",
    "nghị định phạt": "nd-12-2022",
    "kế hoạch": "kh-cdcs-2020",
    "kế hoạch xây dựng đội ngũ chủ tịch": "kh-cdcs-2020",
    "kế hoạch của lđlđ tỉnh": "kh-cdcs-2020",
}

# Everyday words → the legal terms the texts use. Added to the query with a low weight: they
# help when the user describes facts, and must not swamp the user's own words.
COLLOQUIAL: dict[str, str] = {
    "đuổi việc": "sa thải đơn phương chấm dứt hợp đồng lao động",
    "bị đuổi": "sa thải đơn phương chấm dứt hợp đồng lao động",
    "cho nghỉ việc": "đơn phương chấm dứt hợp đồng lao động cho thôi việc",
    "cho thôi việc": "đơn phương chấm dứt hợp đồng lao động trợ cấp thôi việc",
    "nghỉ việc": "chấm dứt hợp đồng lao động thôi việc",
    "xin nghỉ": "đơn phương chấm dứt hợp đồng lao động báo trước",
    "bỏ việc": "tự ý bỏ việc",
    "cắt giảm": "thay đổi cơ cấu công nghệ lý do kinh tế mất việc làm",
    "giảm biên chế": "thay đổi cơ cấu lý do kinh tế mất việc làm",
    "tăng ca": "làm thêm giờ",
    "làm thêm": "làm thêm giờ",
    "ca đêm": "làm việc vào ban đêm",
    "làm đêm": "làm việc vào ban đêm",
    "nghỉ đẻ": "nghỉ thai sản sinh con",
    "sinh con": "thai sản",
    "có bầu": "mang thai lao động nữ",
    "bầu bí": "mang thai lao động nữ",
    "có thai": "mang thai lao động nữ",
    "nuôi con nhỏ": "nuôi con dưới 12 tháng tuổi",
    "sắp sinh": "thai sản sinh con nghỉ thai sản",
    "nuôi con": "lao động nữ nuôi con dưới 12 tháng tuổi nghỉ mỗi ngày 60 phút",
    "chủ mới": "chuyển quyền sở hữu quyền sử dụng tài sản của doanh nghiệp sáp nhập hợp nhất",
    "bán công ty": "chuyển quyền sở hữu quyền sử dụng tài sản của doanh nghiệp sáp nhập",
    "đổi chủ": "chuyển quyền sở hữu quyền sử dụng tài sản của doanh nghiệp",
    "vợ sinh": "lao động nam nghỉ khi vợ sinh con thai sản",
    "trừ lương": "khấu trừ tiền lương phạt tiền cắt lương thay việc xử lý kỷ luật",
    "cắt lương": "phạt tiền cắt lương thay việc xử lý kỷ luật lao động",
    "phạt tiền": "phạt tiền cắt lương thay việc xử lý kỷ luật lao động",
    "trừ tiền": "khấu trừ tiền lương phạt tiền",
    "đi muộn": "vi phạm nội quy lao động kỷ luật",
    "đi trễ": "vi phạm nội quy lao động kỷ luật",
    "nợ lương": "chậm trả lương kỳ hạn trả lương",
    "chậm lương": "chậm trả lương kỳ hạn trả lương",
    "trả lương chậm": "kỳ hạn trả lương chậm trả",
    "không trả lương": "trả lương đầy đủ đúng hạn",
    "lương cứng": "mức lương theo công việc hoặc chức danh",
    "lương tối thiểu vùng": "mức lương tối thiểu",
    "thử việc": "thử việc thời gian thử việc tiền lương thử việc",
    "học việc": "học nghề tập nghề thử việc",
    "chưa ký hợp đồng": "giao kết hợp đồng lao động thử việc",
    "chưa ký chính thức": "thử việc giao kết hợp đồng lao động",
    "ký chính thức": "giao kết hợp đồng lao động kết thúc thử việc",
    "hợp đồng thời vụ": "hợp đồng lao động xác định thời hạn",
    "hợp đồng miệng": "hợp đồng lao động bằng lời nói",
    "ép ký": "cưỡng bức lao động ép buộc giao kết",
    "ép làm": "cưỡng bức lao động",
    "bắt ký": "ép buộc giao kết hợp đồng",
    "giữ bằng": "giữ bản chính giấy tờ tùy thân văn bằng chứng chỉ",
    "giữ giấy tờ": "giữ bản chính giấy tờ tùy thân văn bằng chứng chỉ",
    "đặt cọc": "yêu cầu người lao động thực hiện biện pháp bảo đảm bằng tiền",
    "chuyển làm việc khác": "chuyển người lao động làm công việc khác so với hợp đồng",
    "điều chuyển": "chuyển người lao động làm công việc khác",
    "chuyển công việc": "chuyển người lao động làm công việc khác",
    "đình công": "đình công ngừng việc tạm thời tự nguyện có tổ chức",
    "nghỉ tập thể": "đình công ngừng việc tập thể",
    "ngừng việc tập thể": "đình công",
    "lãn công": "đình công không đúng trình tự thủ tục",
    "bãi công": "đình công",
    "ngừng việc": "tiền lương ngừng việc",
    "phép năm": "nghỉ hằng năm",
    "nghỉ phép": "nghỉ hằng năm",
    "nghỉ lễ": "nghỉ lễ tết",
    "nghỉ tết": "nghỉ lễ tết",
    "ngày lễ": "nghỉ lễ tết",
    "cưới": "kết hôn nghỉ việc riêng",
    "lấy vợ": "kết hôn nghỉ việc riêng",
    "lấy chồng": "kết hôn nghỉ việc riêng",
    "đám cưới": "kết hôn nghỉ việc riêng",
    "đám ma": "chết nghỉ việc riêng",
    "đám tang": "chết nghỉ việc riêng",
    "nghỉ không lương": "nghỉ không hưởng lương",
    "ốm đau": "ốm đau bảo hiểm xã hội",
    "tai nạn": "tai nạn lao động",
    "bị thương": "tai nạn lao động",
    "bảo hộ": "phương tiện bảo vệ cá nhân",
    "đồ bảo hộ": "phương tiện bảo vệ cá nhân",
    "độc hại": "nặng nhọc độc hại nguy hiểm",
    "nguy hiểm": "nặng nhọc độc hại nguy hiểm",
    "khám sức khỏe": "khám sức khỏe định kỳ",
    "không đóng bảo hiểm": "tham gia bảo hiểm xã hội bắt buộc",
    "trốn đóng": "trốn đóng bảo hiểm xã hội",
    "nợ bảo hiểm": "chậm đóng trốn đóng bảo hiểm xã hội",
    "sổ bảo hiểm": "sổ bảo hiểm xã hội",
    "thất nghiệp": "bảo hiểm thất nghiệp",
    "về hưu": "tuổi nghỉ hưu",
    "nghỉ hưu": "tuổi nghỉ hưu",
    "lương hưu": "tuổi nghỉ hưu bảo hiểm xã hội",
    "quấy rối": "quấy rối tình dục tại nơi làm việc",
    "sàm sỡ": "quấy rối tình dục tại nơi làm việc",
    "phân biệt": "phân biệt đối xử",
    "kiện": "khởi kiện tranh chấp lao động tòa án",
    "ra tòa": "tòa án nhân dân tranh chấp lao động",
    "khiếu nại": "khiếu nại tố cáo",
    "tố cáo": "khiếu nại tố cáo",
    "thương lượng": "thương lượng tập thể",
    "đàm phán": "thương lượng tập thể",
    "thỏa ước": "thỏa ước lao động tập thể",
    "đối thoại": "đối thoại tại nơi làm việc",
    "hội nghị người lao động": "hội nghị người lao động đối thoại tại nơi làm việc",
    "quy chế dân chủ": "dân chủ ở cơ sở tại nơi làm việc",
    "đoàn phí": "đoàn phí công đoàn tài chính công đoàn",
    "kinh phí công đoàn": "kinh phí công đoàn 2% quỹ tiền lương đóng bảo hiểm xã hội",
    "đóng 2%": "kinh phí công đoàn",
    "lập công đoàn": "thành lập gia nhập công đoàn",
    "thành lập công đoàn": "thành lập gia nhập hoạt động công đoàn",
    "vào công đoàn": "gia nhập công đoàn",
    "ra khỏi công đoàn": "gia nhập hoạt động công đoàn",
    "cán bộ công đoàn": "cán bộ công đoàn không chuyên trách bảo đảm",
    "làm công đoàn": "hoạt động công đoàn cán bộ công đoàn",
    "trù dập": "phân biệt đối xử gây khó khăn cản trở hoạt động công đoàn",
    "gây khó dễ": "gây khó khăn cản trở hoạt động công đoàn",
    "chèn ép": "phân biệt đối xử gây khó khăn",
    "trả thù": "phân biệt đối xử",
    "mua chuộc": "hứa hẹn cung cấp lợi ích vật chất",
    "hối lộ": "hứa hẹn cung cấp lợi ích vật chất",
    "thao túng": "can thiệp thao túng tổ chức hoạt động công đoàn",
    "hết hợp đồng": "hợp đồng lao động hết hạn",
    "hết hạn hợp đồng": "hợp đồng lao động hết hạn",
    "gia hạn hợp đồng": "kéo dài thời hạn hợp đồng lao động",
    "nhiệm kỳ": "nhiệm kỳ công đoàn",
    "thời gian làm công đoàn": "thời gian hoạt động công đoàn được trả lương",
    "giờ làm công đoàn": "thời gian hoạt động công đoàn được trả lương",
    "phụ cấp công đoàn": "phụ cấp trách nhiệm cán bộ công đoàn",
    "tiền thưởng": "thưởng",
    "thưởng tết": "thưởng",
    "lương tháng 13": "thưởng",
    "bồi thường": "bồi thường thiệt hại",
    "làm hỏng": "bồi thường thiệt hại làm hư hỏng dụng cụ thiết bị",
    "làm mất": "bồi thường thiệt hại làm mất dụng cụ thiết bị tài sản",
    "người nước ngoài": "người lao động nước ngoài giấy phép lao động",
    "trẻ em": "người chưa thành niên chưa đủ 15 tuổi",
    "dưới 18": "người chưa thành niên",
    "người già": "người lao động cao tuổi",
    "khuyết tật": "người khuyết tật",
    "giúp việc": "lao động là người giúp việc gia đình",
    "bị phạt bao nhiêu": "xử phạt vi phạm hành chính phạt tiền",
    "mức phạt": "xử phạt vi phạm hành chính phạt tiền",
    "xử phạt": "xử phạt vi phạm hành chính",
}

# Accented everyday phrases users type without marks; they teach the accent restorer the
# spellings that legal texts rarely use ("bao nhiêu", "mấy", "được không").
EVERYDAY_PHRASES: tuple[str, ...] = (
    "bao nhiêu", "bao lâu", "bao giờ", "mấy ngày", "mấy tháng", "mấy năm", "mấy giờ", "mấy",
    "một năm", "1 năm", "2 năm", "mỗi năm", "một tháng", "mỗi tháng", "trong năm", "phần trăm",
    "được không", "có được không", "có phải", "không", "có", "thế nào", "như thế nào", "ra sao",
    "làm sao", "làm gì", "cái nào", "ai", "tôi", "mình", "em", "anh", "chị", "bạn", "họ",
    "công ty", "xưởng", "sếp", "giám đốc", "công nhân", "đồng ý", "tán thành", "tối đa",
    "tối thiểu", "nghỉ phép năm", "nghỉ phép", "nghỉ giữa ca", "phút", "nghỉ tết", "tết âm lịch",
    "nghỉ đẻ", "tăng ca", "đuổi việc", "trừ lương", "nợ lương", "cắt lương", "đi muộn",
    "lấy vợ", "lấy chồng", "đám cưới", "bị phạt", "mức phạt", "ra tòa", "khởi kiện",
    "vẫn có lương", "vẫn được trả lương", "có lương", "hết hạn", "còn", "nhiệm kỳ", "gia hạn",
    "tính thế nào", "cắt giảm", "cắt giảm lao động", "trợ cấp", "người nước ngoài",
    "quấy rối tình dục", "hành vi nào", "những gì", "gồm", "phải", "hay", "thì", "mà",
    "nghỉ", "ngày", "năm", "tháng", "giờ", "làm thêm", "thời hiệu", "kiện ra tòa",
)

# A layer of everyday situations per article, written from what chairpersons meet in
# practice: the facts people describe, in their words, beside the legal category the article
# names. Indexed as an extra chunk of the article (lexical and dense), never quoted.
ARTICLE_SITUATIONS: dict[str, str] = {
    "blld-2019:d5": "quyền của công nhân được làm việc trả lương nghỉ ngơi tham gia công đoàn đình công",
    "blld-2019:d8": "cưỡng bức lao động ép buộc làm việc ngược đãi quấy rối tình dục giữ giấy tờ lợi dụng danh nghĩa dạy nghề phân biệt đối xử",
    "blld-2019:d10": "tự do chọn việc làm nơi làm việc không bị cấm đoán làm cho nhiều chỗ",
    "blld-2019:d14": "hợp đồng bằng lời nói hợp đồng miệng không ký giấy tờ hợp đồng điện tử qua mạng",
    "blld-2019:d17": "công ty giữ bằng gốc giữ chứng minh thư căn cước bắt đặt cọc tiền ký quỹ bắt làm trả nợ",
    "blld-2019:d20": "hợp đồng thời vụ ký nhiều lần hợp đồng ngắn hạn liên tiếp ký mãi hợp đồng có thời hạn không chuyển sang không thời hạn",
    "blld-2019:d24": "chưa ký hợp đồng chính thức thử việc hợp đồng thử việc",
    "blld-2019:d25": "thử việc mấy tháng thử việc quá lâu kéo dài thử việc thử việc 2 tháng 3 tháng",
    "blld-2019:d26": "lương thử việc bao nhiêu phần trăm lương thử việc thấp hơn 85% lương chính thức không trả lương thử việc",
    "blld-2019:d27": "hết thử việc không báo kết quả không ký hợp đồng chính thức sau thử việc",
    "blld-2019:d29": "bị điều sang bộ phận khác chuyển sang làm việc khác không đúng hợp đồng bị chuyển xuống làm việc nặng hơn quá 60 ngày",
    "blld-2019:d30": "đi nghĩa vụ quân sự bị tạm giam tạm hoãn hợp đồng nghỉ dài ngày giữ chỗ làm",
    "blld-2019:d34": "nghỉ việc hết hợp đồng công ty giải thể chấm dứt hợp đồng các trường hợp",
    "blld-2019:d35": "công nhân muốn nghỉ việc xin nghỉ phải báo trước bao nhiêu ngày nghỉ ngang không báo trước bị nợ lương bị ngược đãi được nghỉ ngay",
    "blld-2019:d36": "công ty cho nghỉ việc đuổi việc phải báo trước tự ý bỏ việc 5 ngày làm việc liên tục không lý do chính đáng ốm dài ngày không hoàn thành công việc",
    "blld-2019:d37": "đang mang thai đang nghỉ ốm đang nghỉ thai sản nuôi con nhỏ bị cho nghỉ việc công ty không được đuổi",
    "blld-2019:d39": "đuổi việc trái luật cho nghỉ không đúng luật không báo trước không có lý do",
    "blld-2019:d40": "công nhân nghỉ ngang không báo trước phải bồi thường nửa tháng lương hoàn trả chi phí đào tạo",
    "blld-2019:d41": "bị đuổi việc trái luật được nhận lại làm việc trả lương những ngày không được làm bồi thường ít nhất 2 tháng lương không muốn quay lại làm",
    "blld-2019:d42": "công ty cắt giảm lao động do thay đổi cơ cấu công nghệ khó khăn kinh tế cho nghỉ hàng loạt phương án sử dụng lao động",
    "blld-2019:d43": "công ty sáp nhập bán công ty đổi chủ chia tách người lao động có bị mất việc",
    "blld-2019:d45": "công ty không báo bằng văn bản khi chấm dứt hợp đồng thông báo nghỉ việc",
    "blld-2019:d46": "nghỉ việc có được trợ cấp thôi việc nửa tháng lương mỗi năm làm việc",
    "blld-2019:d47": "bị cắt giảm mất việc được trợ cấp mất việc làm mỗi năm một tháng lương ít nhất 2 tháng",
    "blld-2019:d48": "nghỉ việc bao lâu thì công ty phải thanh toán hết lương trả sổ bảo hiểm chốt sổ 14 ngày 30 ngày",
    "blld-2019:d61": "học việc học nghề tập nghề không trả lương",
    "blld-2019:d62": "cam kết đào tạo bồi hoàn chi phí đào tạo khi nghỉ việc",
    "blld-2019:d63": "đối thoại định kỳ mỗi năm một lần hội nghị người lao động công ty không tổ chức đối thoại",
    "blld-2019:d70": "quy trình thương lượng tập thể công ty từ chối thương lượng phải bắt đầu trong 7 ngày",
    "blld-2019:d76": "ký thỏa ước cần bao nhiêu phần trăm người lao động đồng ý biểu quyết tán thành trên 50%",
    "blld-2019:d79": "hợp đồng quyền lợi thấp hơn thỏa ước phải sửa theo thỏa ước",
    "blld-2019:d90": "lương ghi trong hợp đồng lương cứng phụ cấp trả lương ngang nhau nam nữ",
    "blld-2019:d91": "lương thấp hơn lương tối thiểu vùng",
    "blld-2019:d94": "công ty ép mua hàng hạn chế chi tiêu lương trả lương không bình đẳng",
    "blld-2019:d95": "phiếu lương bảng kê trả lương đầy đủ đúng hạn trực tiếp",
    "blld-2019:d96": "trả lương bằng tiền mặt chuyển khoản phí chuyển khoản",
    "blld-2019:d97": "nợ lương chậm trả lương trả lương muộn công ty chậm lương quá 15 ngày phải đền bù lãi",
    "blld-2019:d98": "tiền tăng ca bao nhiêu phần trăm làm thêm ngày thường 150% ngày nghỉ 200% ngày lễ 300% làm ca đêm thêm 30%",
    "blld-2019:d99": "công ty cho nghỉ chờ việc mất điện hết đơn hàng thiếu nguyên liệu ngừng việc có được trả lương",
    "blld-2019:d101": "xin ứng lương trước tạm ứng lương",
    "blld-2019:d102": "công ty trừ lương trừ vào lương để bồi thường làm hỏng đồ khấu trừ không quá 30% lương",
    "blld-2019:d104": "thưởng tết lương tháng 13 quy chế thưởng",
    "blld-2019:d105": "làm việc mấy tiếng một ngày 8 giờ 48 giờ một tuần",
    "blld-2019:d107": "bị ép tăng ca tăng ca quá nhiều làm thêm giờ tối đa bao nhiêu giờ một tháng một năm không đồng ý làm thêm 40 giờ 200 giờ 300 giờ",
    "blld-2019:d109": "nghỉ giữa ca nghỉ ăn trưa ăn cơm ca bao nhiêu phút 30 phút 45 phút làm ca đêm",
    "blld-2019:d111": "nghỉ chủ nhật nghỉ hằng tuần làm cả tuần không được nghỉ",
    "blld-2019:d112": "nghỉ tết âm lịch mấy ngày nghỉ lễ 30/4 1/5 2/9 quốc khánh giỗ tổ hùng vương tết dương lịch",
    "blld-2019:d113": "nghỉ phép năm 12 ngày phép chưa nghỉ hết phép được trả tiền phép",
    "blld-2019:d114": "thâm niên 5 năm thêm 1 ngày phép",
    "blld-2019:d115": "nghỉ cưới kết hôn 3 ngày con cưới bố mẹ mất nghỉ việc riêng có lương nghỉ không lương",
    "blld-2019:d117": "kỷ luật công nhân vi phạm nội quy",
    "blld-2019:d118": "nội quy công ty nội quy lao động phải có",
    "blld-2019:d122": "kỷ luật không họp không mời công đoàn không cho giải thích xử lý kỷ luật phải có mặt tổ chức đại diện",
    "blld-2019:d123": "thời hiệu kỷ luật vi phạm đã lâu mới xử lý",
    "blld-2019:d124": "hình thức kỷ luật khiển trách kéo dài thời hạn nâng lương cách chức sa thải",
    "blld-2019:d125": "sa thải khi nào trộm cắp tham ô đánh bạc dùng ma túy tự ý bỏ việc 5 ngày",
    "blld-2019:d127": "vi phạm nội quy bị phạt tiền trừ vào lương cắt thưởng thay cho kỷ luật đánh đập chửi mắng xúc phạm",
    "blld-2019:d128": "tạm đình chỉ công việc điều tra vi phạm",
    "blld-2019:d129": "làm hỏng máy móc làm mất đồ phải đền bồi thường thiệt hại",
    "blld-2019:d137": "lao động nữ mang thai làm ca đêm làm việc nặng nhọc đi công tác xa chuyển sang việc nhẹ hơn",
    "blld-2019:d138": "đang mang thai muốn nghỉ việc tạm hoãn hợp đồng theo chỉ định bác sĩ",
    "blld-2019:d139": "nghỉ đẻ mấy tháng nghỉ thai sản 6 tháng sinh đôi chồng nghỉ khi vợ sinh",
    "blld-2019:d140": "nghỉ đẻ xong quay lại làm bị đổi việc bảo đảm việc làm cũ",
    "blld-2019:d141": "con ốm nghỉ chăm con hưởng bảo hiểm",
    "blld-2019:d145": "thuê trẻ em dưới 15 tuổi làm việc",
    "blld-2019:d151": "người nước ngoài làm việc tại việt nam phải có giấy phép lao động",
    "blld-2019:d165": "giúp việc gia đình bị ngược đãi",
    "blld-2019:d168": "công ty không đóng bảo hiểm xã hội trả tiền bảo hiểm vào lương cho người không thuộc diện đóng",
    "blld-2019:d169": "bao nhiêu tuổi nghỉ hưu nam 62 nữ 60",
    "blld-2019:d170": "người lao động có quyền thành lập gia nhập công đoàn",
    "blld-2019:d175": "công ty cản trở thành lập công đoàn phân biệt đối xử với người tham gia công đoàn ép ra khỏi công đoàn can thiệp chọn người vào ban chấp hành tài trợ chi phối tổ chức công đoàn",
    "blld-2019:d176": "cán bộ công đoàn được gặp giám đốc được vào nơi làm việc tiếp cận công nhân",
    "blld-2019:d177": "công ty phải bố trí thời gian và nơi làm việc cho công đoàn chủ tịch công đoàn hết hợp đồng còn nhiệm kỳ được gia hạn đuổi cán bộ công đoàn phải thỏa thuận",
    "blld-2019:d178": "công đoàn đại diện thương lượng giám sát tổ chức đình công",
    "blld-2019:d179": "mâu thuẫn với công ty về quyền lợi tranh chấp",
    "blld-2019:d187": "khiếu kiện với công ty ai giải quyết hòa giải viên trọng tài tòa án",
    "blld-2019:d188": "hòa giải tranh chấp trong 5 ngày làm việc",
    "blld-2019:d190": "khởi kiện ra tòa trong bao lâu thời hạn kiện 1 năm",
    "blld-2019:d198": "đình công là gì công nhân ngừng việc tập thể",
    "blld-2019:d199": "khi nào được đình công đình công hợp pháp",
    "blld-2019:d200": "các bước tổ chức đình công trình tự đình công",
    "blld-2019:d201": "lấy ý kiến người lao động về đình công",
    "blld-2019:d202": "đình công cần bao nhiêu phần trăm đồng ý trên 50% thông báo trước 5 ngày",
    "blld-2019:d204": "công nhân tự ý ngừng việc tập thể không do công đoàn tổ chức lãnh đạo đình công tự phát đình công bất hợp pháp",
    "blld-2019:d207": "đình công có được trả lương không",
    "blld-2019:d208": "trù dập người đình công cấm đình công phạt người đình công",
    "blld-2019:d209": "đơn vị điện nước không được đình công",
    "blld-2019:d211": "đình công tự phát không đúng trình tự xử lý",
    "luat-cd-2024:d5": "người nước ngoài người lao động tự do có được vào công đoàn gia nhập công đoàn",
    "luat-cd-2024:d10": "công ty cấm công nhân vào công đoàn ép rời công đoàn đuổi việc chuyển việc cắt lương vì làm công đoàn hứa hẹn tiền thưởng lên chức để người lao động không tham gia hoặc rời công đoàn mua chuộc chi phối can thiệp trốn đóng kinh phí công đoàn",
    "luat-cd-2024:d11": "công đoàn bảo vệ quyền lợi người lao động đại diện khởi kiện",
    "luat-cd-2024:d16": "công đoàn giám sát việc thực hiện chế độ chính sách",
    "luat-cd-2024:d19": "phát triển đoàn viên thành lập công đoàn cơ sở mới",
    "luat-cd-2024:d20": "công ty chưa có công đoàn ai bảo vệ người lao động công đoàn cấp trên",
    "luat-cd-2024:d21": "đoàn viên được quyền gì được hỗ trợ tư vấn pháp luật",
    "luat-cd-2024:d22": "đoàn viên phải đóng đoàn phí",
    "luat-cd-2024:d24": "quan hệ công đoàn với giám đốc chủ doanh nghiệp",
    "luat-cd-2024:d25": "công ty phải tạo điều kiện cho công đoàn hoạt động cung cấp thông tin",
    "luat-cd-2024:d26": "cán bộ công đoàn chuyên trách không chuyên trách",
    "luat-cd-2024:d27": "cán bộ công đoàn được bao nhiêu giờ mỗi tháng để làm công tác công đoàn vẫn hưởng lương phòng làm việc cho công đoàn",
    "luat-cd-2024:d28": "chủ tịch công đoàn bị đuổi việc bị chuyển việc bị cho nghỉ vì làm công đoàn hết hợp đồng còn nhiệm kỳ gia hạn được công đoàn hỗ trợ tìm việc mới phụ cấp",
    "luat-cd-2024:d29": "công ty đóng kinh phí công đoàn 2% đoàn viên đóng đoàn phí 1% lương",
    "luat-cd-2024:d30": "doanh nghiệp khó khăn xin giảm tạm dừng đóng kinh phí công đoàn",
    "luat-cd-2024:d31": "tiền công đoàn dùng vào việc gì chi cho đoàn viên",
    "luat-cd-2024:d35": "tranh chấp quyền công đoàn khởi kiện ra tòa",
    "luat-cd-2024:d36": "công ty vi phạm luật công đoàn bị xử lý trốn đóng kinh phí",
    "blld-2019:d13": "hợp đồng dưới tên gọi khác thỏa thuận có trả lương có quản lý điều hành là hợp đồng lao động",
    "blld-2019:d15": "ký hợp đồng tự nguyện bình đẳng không bị ép",
    "blld-2019:d16": "công ty không nói rõ lương nơi làm việc khi tuyển dụng người lao động khai man hồ sơ",
    "blld-2019:d18": "ai được ký hợp đồng với công nhân người ký không có thẩm quyền",
    "blld-2019:d21": "hợp đồng phải ghi những gì mức lương công việc địa điểm thời hạn",
    "blld-2019:d22": "phụ lục hợp đồng thay đổi lương bằng phụ lục",
    "blld-2019:d33": "công ty muốn thay đổi hợp đồng giảm lương phải báo trước 3 ngày thỏa thuận",
    "blld-2019:d44": "phương án sử dụng lao động khi cắt giảm phải trao đổi với công đoàn",
    "blld-2019:d52": "lao động thuê lại công ty cung ứng nhân lực làm việc cho công ty khác",
    "blld-2019:d64": "nội dung đối thoại tình hình sản xuất điều kiện làm việc yêu cầu của người lao động",
    "blld-2019:d65": "thương lượng tập thể là gì công đoàn đàm phán với giám đốc",
    "blld-2019:d67": "thương lượng về tiền lương thưởng giờ làm nghỉ ngơi",
    "blld-2019:d68": "công đoàn có đủ số thành viên thì được yêu cầu thương lượng",
    "blld-2019:d71": "thương lượng không thành công ty không chịu ký tranh chấp lợi ích",
    "blld-2019:d78": "thỏa ước có hiệu lực từ khi nào thời hạn 1 đến 3 năm",
    "blld-2019:d93": "thang lương bảng lương định mức lao động phải tham khảo ý kiến công đoàn công khai",
    "blld-2019:d103": "nâng lương nâng bậc định kỳ phụ cấp",
    "blld-2019:d106": "ca đêm tính từ 22 giờ đến 6 giờ sáng",
    "blld-2019:d108": "thiên tai hỏa hoạn bắt làm thêm không được từ chối",
    "blld-2019:d110": "nghỉ giữa hai ca ít nhất 12 giờ làm ca liên tục",
    "blld-2019:d119": "đăng ký nội quy với sở lao động dưới 10 người",
    "blld-2019:d126": "xóa kỷ luật sau bao lâu khiển trách 6 tháng kéo dài nâng lương 3 năm",
    "blld-2019:d130": "trừ lương bồi thường mỗi tháng không quá 30%",
    "blld-2019:d131": "không đồng ý với quyết định kỷ luật khiếu nại",
    "blld-2019:d136": "công ty phải lo điều kiện làm việc an toàn vệ sinh",
    "blld-2019:d146": "người chưa đủ 18 tuổi làm việc mấy giờ một ngày",
    "blld-2019:d149": "người đã nghỉ hưu tiếp tục đi làm ký hợp đồng",
    "blld-2019:d172": "thành lập tổ chức của người lao động tại doanh nghiệp phải đăng ký",
    "blld-2019:d180": "nguyên tắc giải quyết tranh chấp thương lượng hòa giải",
    "blld-2019:d186": "đang giải quyết tranh chấp không được đơn phương đóng cửa đình công",
    "blld-2019:d192": "tranh chấp tập thể về quyền ai giải quyết",
    "blld-2019:d203": "quyền của công nhân và công ty khi đình công",
    "blld-2019:d206": "công ty không được đóng cửa nơi làm việc khi",
    "blld-2019:d210": "tòa án hoặc chủ tịch tỉnh quyết định hoãn ngừng đình công",
    "luat-cd-2024:d6": "tổ chức của người lao động tại doanh nghiệp gia nhập công đoàn việt nam",
    "luat-cd-2024:d7": "nguyên tắc hoạt động công đoàn tự nguyện tập trung dân chủ",
    "luat-cd-2024:d8": "hệ thống công đoàn các cấp công đoàn cơ sở công đoàn cấp trên",
    "luat-cd-2024:d12": "công đoàn tham gia quản lý nhà nước",
    "luat-cd-2024:d14": "công đoàn dự họp của giám đốc hội nghị",
    "luat-cd-2024:d15": "công đoàn kiểm tra thanh tra doanh nghiệp",
    "luat-cd-2024:d18": "tuyên truyền phổ biến pháp luật cho công nhân",
    "luat-cd-2024:d32": "nhà văn hóa tài sản của công đoàn",
    "luat-cd-2024:d33": "kiểm tra tài chính công đoàn kiểm toán",
    "luat-cd-2024:d34": "công khai thu chi tài chính công đoàn cho đoàn viên biết",
    "luat-atvsld-2015:d6": "công nhân được từ chối làm việc khi thấy nguy hiểm đến tính mạng được trang bị đồ bảo hộ được khám sức khỏe",
    "luat-atvsld-2015:d7": "công ty phải trang bị bảo hộ huấn luyện an toàn khám sức khỏe cho công nhân",
    "luat-atvsld-2015:d10": "công đoàn cơ sở làm gì về an toàn lao động kiến nghị khi thấy nguy hiểm tham gia điều tra tai nạn giám sát an toàn vệ sinh",
    "luat-atvsld-2015:d12": "che giấu tai nạn lao động khai báo sai ép làm việc nơi nguy hiểm không trang bị bảo hộ",
    "luat-atvsld-2015:d14": "tập huấn an toàn lao động huấn luyện trước khi làm việc",
    "luat-atvsld-2015:d16": "công ty phải bảo đảm nơi làm việc an toàn máy móc an toàn",
    "luat-atvsld-2015:d21": "khám sức khỏe định kỳ mỗi năm một lần khám bệnh nghề nghiệp",
    "luat-atvsld-2015:d23": "công ty không phát đồ bảo hộ khẩu trang găng tay quần áo bảo hộ",
    "luat-atvsld-2015:d24": "bồi dưỡng độc hại bằng hiện vật sữa làm việc độc hại",
    "luat-atvsld-2015:d34": "xảy ra tai nạn phải báo cho ai khai báo tai nạn chết người bị thương nặng công ty giấu tai nạn",
    "luat-atvsld-2015:d35": "điều tra tai nạn lao động đoàn điều tra biên bản",
    "luat-atvsld-2015:d38": "công nhân bị tai nạn khi làm việc bị thương công ty phải sơ cứu cấp cứu trả viện phí chi phí điều trị trả đủ lương trong thời gian điều trị bồi thường",
    "luat-atvsld-2015:d39": "tai nạn do lỗi công ty bồi thường trợ cấp khi bị suy giảm khả năng lao động chết do tai nạn",
    "luat-atvsld-2015:d40": "tai nạn do say rượu dùng ma túy tự gây thương tích không được hưởng chế độ",
    "luat-atvsld-2015:d45": "tai nạn trên đường đi làm về được hưởng chế độ tai nạn lao động",
    "luat-atvsld-2015:d75": "hội đồng an toàn vệ sinh lao động cơ sở gồm những ai chủ tịch phó chủ tịch hội đồng",
    "nd-145-2020:d8": "cách tính trợ cấp thôi việc mất việc thời gian làm việc được tính trừ thời gian đóng bảo hiểm thất nghiệp",
    "nd-145-2020:d39": "đối thoại định kỳ một năm một lần",
    "nd-145-2020:d40": "công đoàn yêu cầu đối thoại cần bao nhiêu thành viên đồng ý",
    "nd-145-2020:d47": "hội nghị người lao động tổ chức hằng năm",
    "nd-145-2020:d55": "cách tính tiền lương làm thêm giờ",
    "nd-145-2020:d59": "công ty bắt tăng ca không hỏi ý kiến công nhân phải đồng ý",
    "nd-145-2020:d60": "giới hạn giờ làm thêm trong ngày trong tháng",
    "nd-145-2020:d64": "nghỉ giữa giờ ăn ca",
    "nd-145-2020:d70": "họp xử lý kỷ luật phải thông báo trước 5 ngày mời công đoàn người lao động vắng mặt",
    "nd-145-2020:d84": "sàm sỡ đụng chạm gạ gẫm nhắn tin khiêu dâm tại nơi làm việc",
    "nd-145-2020:d85": "công ty phải có quy định phòng chống quấy rối tình dục",
    "nd-145-2020:d105": "đơn vị điện nước không được đình công danh mục",
    "kh-cdcs-2020:II.2": "chỉ tiêu đại hội bầu trực tiếp chủ tịch phụ cấp chủ tịch chủ tịch công đoàn là thủ lĩnh",
    "kh-cdcs-2020:II.3": "tập huấn bồi dưỡng đào tạo chủ tịch câu lạc bộ chủ tịch",
    "kh-cdcs-2020:II.4": "chủ tịch công đoàn bị sa thải mất việc vì bảo vệ công nhân được công đoàn cấp trên bảo vệ hỗ trợ khen thưởng",
    "kh-cdcs-2020:III.2": "nhiệm vụ các ban chuyên môn tham mưu kinh phí báo cáo",
    "kh-cdcs-2020:III.3": "báo cáo sáu tháng báo cáo năm gửi liên đoàn lao động tỉnh hạn nộp",
}

# Function words that say nothing about the topic (folded), left out when measuring how much
# of a question the corpus covers.
STOPWORDS: frozenset[str] = frozenset("""
a ah ai anh ban bao bi biet boi ca cac cai can cho chi chua chung co con cua cung da dang
day de den deu di do doi du duoc em gi gio ha hay hoi hon khi khong la lai lam len luc ma
may minh moi mot muon nao nay neu nen nhe nhieu nhu nhung noi o oi ong phai qua ra rang roi
sao se sau tai the theo thi thoi toi trong tu va van vao vay ve vi voi xin
""".split())

# Words that place a question in labour and union law (folded). One is enough to trust a
# weak match, and it overrides an everyday-topic cue ("nghỉ cưới" is labour law).
DOMAIN_CUES: tuple[str, ...] = (
    "lao dong", "cong doan", "cdcs", "nld", "nsdld", "blld", "hdld", "luong", "hop dong",
    "viec lam", "nghi viec", "thoi viec", "sa thai", "ky luat", "bao hiem xa hoi",
    "bao hiem y te", "bao hiem that nghiep", "bao hiem tai nan", "bhxh", "bhyt",
    "bhtn", "thai san", "dinh cong", "thoa uoc", "thuong luong", "doi thoai", "tang ca",
    "lam them", "nghi phep", "nghi le", "nghi tet", "thu viec", "doan vien", "ban chap hanh",
    "bch", "ldld", "tld", "atvsld", "tai nan", "benh nghe nghiep", "tranh chap", "tro cap",
    "phu cap", "xu phat", "nghi dinh", "noi quy", "ca dem", "kinh phi", "doan phi",
    "duoi viec", "nghi de", "nghi sinh", "sap sinh", "sinh con", "nghi huu", "nguoi su dung", "chu tich cong doan", "cong nhan",
    "ke hoach", "bieu mau", "quyen loi", "che do",
)

# Workplace words: they occur in labour questions but just as much in any business errand
# ("the phone number of company X"), so they only lower the bar a little.
WORKPLACE_WORDS: tuple[str, ...] = (
    "cong ty", "doanh nghiep", "giam doc", "xuong", "nha may", "kcn", "khu cong nghiep",
    "phong nhan su", "sep", "quan ly", "to truong",
)

# Everyday topics far from labour law (folded): a question about them is declined unless it
# also carries a domain cue.
OFF_TOPIC_CUES: tuple[str, ...] = (
    "ly hon", "so do", "so hong", "dat dai", "mua ban dat", "sang ten", "nha dat", "ho chieu",
    "visa", "thi thuc", "gia vang", "ty gia", "chung khoan", "co phieu", "bong da", "thoi tiet",
    "xe may", "bang lai", "giay phep lai xe", "dang kiem", "thua ke", "di chuc", "khai sinh",
    "cong thuc nau", "mon an", "du lich", "ve may bay", "khach san", "so dien thoai",
    "dia chi email", "lai suat", "vay tien", "xo so", "can cuoc cong dan", "tam tru",
    "ket qua xo so", "phim", "bai hat", "nuoi con nuoi", "hoc phi", "tuyen sinh", "dia chi",
    "o to", "bao hiem xe", "bao hiem nhan tho", "hotline", "tong dai", "website", "nau an",
    "benh vien nao", "uong thuoc", "ket hon voi nguoi nuoc ngoai", "dang ky ket hon",
)

# Words that mean the user asks about fines: then the fines decree is what they want.
FINES_CUES: tuple[str, ...] = ("phat", "xu phat", "muc phat", "bi phat", "phat tien")

# Situations recognised by words that occur together anywhere in a question (folded; each
# group is a list of regular-expression alternatives, and every group must match). A question
# that tells facts ("dọa đuổi việc tôi vì tôi đòi tiền tăng ca") rarely shares words with the
# article that names its legal category ("phân biệt đối xử vì lý do hoạt động công đoàn");
# a rule adds that category's words to the query, beside the user's own.
# A group that starts with "!" must NOT match (it rules out a look-alike situation).
# (name, groups, legal words added to the query)
# why it happened, or the condition of a threat ("nếu còn vận động ... thì sẽ ...")
_CAUSE = (r"vi(?! pham)|sau khi|tu khi|tu luc|ke tu|tai vi|boi vi|chi vi|ly do|do toi|do minh|"
          r"neu( \w+)? (con|van|cu|tiep tuc|dam|khong thoi|khong rut)|de tra dua|tra thu|"
          r"tu hom|tu ngay|ke tu hom|tu dot|tu sau")
SITUATION_RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("retaliation",
     (r"duoi|doa|de doa|tru dap|chuyen (toi|sang|xuong|ve|qua|di|lam)|dieu sang|dieu chuyen|cat thuong|cat luong|ha luong|giam luong|"
      r"ky luat|sa thai|khong ky tiep|khong gia han|cho nghi|cho thoi viec|gay kho|chen ep|"
      r"o ep|cho ra|cach chuc|khong cho|bat nghi|danh gia thap|xuong lam|xep ca|"
      r"khong giao viec|treo viec|cho ngoi choi|tru luong|tru cong|khong cho lam|bi danh gia",
      _CAUSE,
      r"doi|de nghi|kien nghi|thuong luong|cong doan|bao ve|len tieng|dai dien|dinh cong|"
      r"khieu nai|to cao|phan anh|dung ra|dung dau|chu tich|ban chap hanh|quyen loi|"
      r"dan anh em|thay mat|thac mac|hoi ve|chat van|van dong"),
     "phân biệt đối xử vì lý do thành lập gia nhập hoạt động công đoàn tổ chức đại diện "
     "người lao động sa thải đơn phương chấm dứt hợp đồng chuyển làm công việc khác "
     "thành viên ban lãnh đạo cán bộ công đoàn không chuyên trách hành vi bị nghiêm cấm"),
    ("fine_as_discipline",
     (r"phat|thu|tru|cat|nop|giu",
      r"\d+ ?(nghin|ngan|k|trieu|000|d|dong)|luong|thuong|chuyen can|tien",
      r"\d+ ?(nghin|ngan|k|trieu|000|d|dong)|muon|tre|quen|noi quy|vi pham|khong deo|"
      r"noi chuyen|dien thoai|ve som|nghi khong phep|nghi khong xin phep|mac loi|sai|"
      r"khong dat|hut thuoc|di ve sinh|an vat|the nhan vien|dong phuc|trang phuc|ngu gat|"
      r"hang loi|san pham loi|chuyen can|moi lan|lan vi pham",
      r"!bi phat bao nhieu|muc phat|xu phat|phat hanh chinh|(cong ty|doanh nghiep|nsdld|chu) "
      r"(se )?bi phat|lam hong|lam mat|lam vo|hu hong|thiet hai|boi thuong|den bu|tam ung|"
      r"thue|bao hiem|bhxh|doan phi|kinh phi|vao lam|moi vao|dat coc|ky quy|hoan lai|tra lai"),
     "phạt tiền cắt lương thay việc xử lý kỷ luật lao động hành vi bị nghiêm cấm khi xử lý "
     "kỷ luật lao động"),
    ("deposit",
     (r"nop|dat coc|coc|ky quy|dong tien|giu tien|thu tien|giu bang|giu can cuoc|giu cccd|"
      r"giu chung minh|giu giay to",
      r"\d+ ?(nghin|ngan|k|trieu)|tien|bang|can cuoc|cccd|chung minh|giay to|ho so",
      r"vao lam|moi vao|khi vao|tuyen dung|nhan viec|nghi truoc|khong tra lai|hoan lai|giu lai|"
      r"ky hop dong|dat coc|ky quy|giu bang|giu can cuoc|giu cccd|giu chung minh|giu giay to"),
     "người sử dụng lao động không được giữ bản chính giấy tờ tùy thân văn bằng chứng chỉ yêu "
     "cầu người lao động thực hiện biện pháp bảo đảm bằng tiền hoặc tài sản"),
    ("forced_overtime",
     (r"bat|ep|buoc|o lai|khong cho ve|ai ve|khong o lai|bi ghi ten",
      r"tang ca|lam them|o lai lam|lam toi|lam den|lam xuyen|lam ca chu nhat|lam chu nhat|"
      r"\d+ gio (toi|dem)|toi muon|khuya|gio dem"),
     "làm thêm giờ sự đồng ý của người lao động giới hạn số giờ làm thêm"),
    ("wildcat_stoppage",
     (r"ca chuyen|ca xuong|ca phan xuong|ca to|ca ca|tap the|hang tram|hang loat|dong loat|"
      r"keo nhau|ru nhau|cung nhau|nhieu cong nhan|anh em",
      r"bo may|ngung may|ngung lam|dung may|khong lam|ngoi|ra ngoai|tu y|tu phat|dinh cong|"
      r"nghi het|bo ra|lan cong|phan doi",
      r"khong ai|tu phat|tu y|khong qua cong doan|khong co cong doan|keo nhau|ru nhau|"
      r"khong to chuc|tu dung|tu bo"),
     "đình công không do tổ chức đại diện người lao động tổ chức và lãnh đạo đình công "
     "không đúng trình tự thủ tục ngừng việc tập thể"),
    ("unsafe_work",
     (r"nguy hiem|(?<!lam )hong|khong an toan|che chan|ro ri|chay|sap|dien giat|ho dien|hoa chat|"
      r"khi doc|doc hai|nong|bui|tieng on|chay no|phat no",
      r"khong dam|tu choi|khong chiu|ep|bat|khong lam thi|neu khong lam|van phai|khong cho|"
      r"xin dung|xin ngung|xin nghi|dung may|ngung may"),
     "quyền từ chối làm công việc khi thấy rõ có nguy cơ xảy ra tai nạn lao động đe dọa "
     "nghiêm trọng tính mạng sức khỏe quyền và nghĩa vụ về an toàn vệ sinh lao động"),
    ("injury",
     (r"cat dut|cat vao|kep|bi bong|nga|gay tay|gay chan|gay xuong|dut|chan thuong|bi thuong|"
      r"dap vao|dien giat|ngat|cut|mat ngon|thuong tat|tai nan",
      r"may|gian giao|lam viec|dang lam|ca|xuong|tay|chan|ngon|cong trinh|kho|vien phi|"
      r"chi phi dieu tri|nam vien|cap cuu"),
     "tai nạn lao động trách nhiệm của người sử dụng lao động đối với người bị tai nạn "
     "lao động chi phí y tế bồi thường trợ cấp"),
    ("damage_compensation",
     (r"lam hong|lam mat|lam vo|lam chay|hu hong|gay thiet hai|lam be|lam gay",
      r"den|boi thuong|tru|khau tru|bat tra|nop tien|tra tien"),
     "bồi thường thiệt hại làm hư hỏng dụng cụ thiết bị tài sản khấu trừ tiền lương không "
     "quá 30% xử lý bồi thường thiệt hại"),
    ("overtime_limit",
     (r"lam them|tang ca|o lai lam",
      r"\d+ (tieng|gio)|vuot|qua muc|qua gio|toi da|bao nhieu (tieng|gio)|gioi han|may (tieng|gio)"),
     "giới hạn số giờ làm thêm không quá 40 giờ trong 01 tháng 200 giờ 300 giờ trong 01 năm"),
    ("officer_contract",
     (r"cong doan|ban chap hanh|chu tich|uy vien|bch|cdcs",
      r"het hop dong|het han hop dong|hop dong sap het|sap het hop dong|khong ky tiep|"
      r"khong gia han|khong ky lai|tai ky"),
     "gia hạn hợp đồng lao động đến hết nhiệm kỳ cán bộ công đoàn không chuyên trách "
     "thành viên ban lãnh đạo tổ chức đại diện người lao động đang trong nhiệm kỳ"),
    ("late_wages",
     (r"chua phat luong|chua tra luong|chua co luong|cham luong|no luong|khat luong|"
      r"giu luong|treo luong|luong ve muon|tra luong muon|chua nhan luong|cham tra",),
     "kỳ hạn trả lương chậm trả lương trả lương đầy đủ đúng hạn"),
    ("mass_layoff",
     (r"cho nghi|cho .{0,30}nghi|cat giam|giam nguoi|giam lao dong|giam bien che|cho thoi viec|sa thai|"
      r"nghi viec|dung hop dong",
      r"hang loat|nhieu nguoi|\d+ (nguoi|cong nhan|lao dong)|mat don hang|het don hang|"
      r"kho khan|thua lo|tai co cau|giam don|it don|khong co don|cat giam|doi cong nghe|"
      r"may moc moi|tu dong hoa"),
     "thay đổi cơ cấu công nghệ lý do kinh tế cho thôi việc nhiều người lao động phương án "
     "sử dụng lao động trao đổi ý kiến với tổ chức đại diện người lao động trợ cấp mất việc làm"),
    ("refused_bargaining",
     (r"khong chiu|tu choi|khong tra loi|lo di|khong tiep|ne tranh|khong hoi am|"
      r"khong phan hoi|im lang|khong gap",
      r"thuong luong|ngoi lai|ban ve|ban bac|dam phan|doi thoai|gap cong doan|tiep cong doan|"
      r"thoa uoc|tang luong",
      r"cong doan|ban chap hanh|nguoi lao dong|cong nhan|tap the"),
     "yêu cầu thương lượng tập thể người sử dụng lao động không được từ chối thương lượng "
     "quy trình thương lượng tập thể đối thoại tại nơi làm việc khi có yêu cầu"),
    ("severance",
     (r"nghi viec|thoi viec|nghi lam|cham dut|het hop dong|xin nghi",
      r"khoan (tien|nao)|tien gi|duoc tien|tien nao|duoc nhan|tro cap|duoc gi|duoc boi thuong|"
      r"tra gi|tra khoan|quyen loi gi"),
     "trợ cấp thôi việc trợ cấp mất việc làm trách nhiệm khi chấm dứt hợp đồng lao động"),
    ("unpaid_insurance",
     (r"bao hiem|bhxh|so bao hiem",
      r"chua nop|khong nop|khong dong|chua dong|no|tron|cham dong|tru .* nhung|van tru|"
      r"khong bao tang|chua chot|khong chot"),
     "tham gia bảo hiểm xã hội bắt buộc đóng bảo hiểm xã hội cho người lao động trốn đóng "
     "chậm đóng bảo hiểm xã hội"),
    ("maternity_dismissal",
     (r"mang thai|co bau|co thai|bau bi|nghi sinh|nghi de|thai san|nuoi con|con nho|sinh con",
      r"cho nghi|duoi|cho thoi viec|cham dut|sa thai|khong ky tiep|chuyen|ca dem|tang ca|"
      r"lam dem|nang nhoc|doc hai|xep ca|lam them|giam luong|ha luong"),
     "bảo vệ thai sản lao động nữ mang thai nuôi con dưới 12 tháng tuổi người sử dụng lao "
     "động không được đơn phương chấm dứt hợp đồng lao động không được làm việc ban đêm "
     "làm thêm giờ"),
    ("probation",
     (r"thu viec|moi vao|hoc viec|chua ky chinh thuc|chua ky hop dong",
      r"thang|ngay|phan tram|%|luong|ky|khong noi|ket qua|het"),
     "thử việc thời gian thử việc tiền lương thử việc ít nhất bằng 85% kết thúc thời gian "
     "thử việc"),
    ("union_time",
     (r"cong doan|ban chap hanh|bch|cdcs|chu tich",
      r"di hop|hop|tap huan|lam cong tac|lam viec cong doan|thoi gian|gio|nghi lam",
      r"tru cong|tru luong|khong cho|khong tra luong|bao nhieu gio|may gio|duoc nghi|"
      r"tinh luong|huong luong|van co luong"),
     "thời gian hoạt động công đoàn vẫn được người sử dụng lao động trả lương bảo đảm điều "
     "kiện hoạt động công đoàn quyền của thành viên ban lãnh đạo"),
)

# More everyday situations per article, from the complaints chairpersons in FDI and private
# enterprises bring most (retaliation, fines, probation, overtime, wages, insurance, layoffs,
# maternity, stoppages, safety, union rights). Appended to ARTICLE_SITUATIONS below.
_MORE_SITUATIONS: dict[str, str] = {
    "blld-2019:d175": "dọa đuổi việc cán bộ công đoàn vì đòi quyền lợi cho công nhân đòi tiền tăng "
                      "ca đòi trả lương đúng hạn đứng ra thương lượng kiến nghị với giám đốc bị trù "
                      "dập chuyển sang làm bảo vệ làm việc nặng nhọc cắt thưởng hạ lương không ký "
                      "tiếp hợp đồng vì làm công đoàn ép rút khỏi ban chấp hành",
    "luat-cd-2024:d10": "trù dập trả thù người đứng ra đòi quyền lợi đe dọa đuổi việc vì hoạt động "
                        "công đoàn phân biệt đối xử cán bộ công đoàn chuyển làm việc khác cắt "
                        "lương thưởng vì tham gia công đoàn",
    "luat-cd-2024:d28": "cán bộ công đoàn bị dọa đuổi việc bị cho nghỉ bị chuyển công việc khác "
                        "phải có ý kiến công đoàn cấp trên hết hạn hợp đồng đang trong nhiệm kỳ "
                        "công ty không ký tiếp phó chủ tịch ủy viên ban chấp hành",
    "blld-2019:d177": "không ký tiếp hợp đồng với chủ tịch phó chủ tịch ủy viên ban chấp hành "
                      "đang trong nhiệm kỳ muốn cho nghỉ chuyển việc kỷ luật cán bộ công đoàn phải "
                      "thỏa thuận bằng văn bản với ban chấp hành công đoàn",
    "blld-2019:d176": "ban chấp hành công đoàn đi họp tập huấn làm công tác công đoàn trong giờ làm "
                      "vẫn được trả lương không bị trừ công gặp công nhân tại xưởng gặp giám đốc",
    "luat-cd-2024:d27": "cán bộ công đoàn không chuyên trách được dùng thời gian làm việc để làm "
                        "công tác công đoàn đi họp tập huấn không bị trừ lương số giờ mỗi tháng",
    "blld-2019:d127": "phạt tiền công nhân đi muộn về sớm quên thẻ nói chuyện dùng điện thoại "
                      "trừ tiền vào lương thay cho kỷ luật cắt tiền chuyên cần làm phạt nộp phạt "
                      "tổ trưởng phạt tiền",
    "blld-2019:d102": "làm hỏng hàng hóa máy móc khuôn bị bắt đền trừ lương hằng tháng mức trừ tối "
                      "đa trừ vào lương bao nhiêu phần trăm",
    "blld-2019:d130": "bồi thường khi làm hỏng đồ do sơ suất giá trị nhỏ bồi thường tối đa 3 tháng "
                      "lương khấu trừ hằng tháng",
    "blld-2019:d25": "thử việc quá thời hạn lao động phổ thông công nhân thử việc tối đa 6 ngày 30 "
                     "ngày 60 ngày 180 ngày thử việc 4 tháng",
    "blld-2019:d26": "thử việc chỉ được trả 60% 70% 80% lương thử việc thấp",
    "blld-2019:d27": "thử việc xong công ty không thông báo kết quả vẫn đi làm tiếp không ký hợp "
                     "đồng thử việc đạt yêu cầu",
    "blld-2019:d107": "bắt ở lại làm đến tối muộn ép tăng ca ai không ở lại bị phạt ghi tên làm "
                      "thêm quá giờ vượt giới hạn giờ làm thêm mỗi tháng",
    "nd-145-2020:d59": "bắt ở lại tăng ca không hỏi công nhân có đồng ý không ép làm thêm",
    "nd-145-2020:d60": "làm thêm quá 40 giờ một tháng vượt giới hạn làm thêm",
    "blld-2019:d97": "chưa phát lương đến ngày vẫn chưa trả lương tháng trước công ty nói chưa có "
                     "tiền chưa thu được tiền hàng khó khăn khất lương treo lương trả lương muộn",
    "blld-2019:d168": "công ty trừ tiền bảo hiểm trong phiếu lương nhưng không nộp cho cơ quan bảo "
                      "hiểm không đóng bảo hiểm xã hội cho công nhân nợ bảo hiểm tra cứu quá trình "
                      "đóng",
    "nd-12-2022:d39": "công ty trốn đóng chậm đóng bảo hiểm xã hội bị phạt bao nhiêu",
    "blld-2019:d137": "chị em có bầu mang thai từ tháng thứ 7 vẫn phải làm ca đêm tăng ca đi công "
                      "tác làm việc nặng nhọc độc hại nuôi con nhỏ dưới 12 tháng",
    "blld-2019:d37": "đang có bầu đang nghỉ sinh nghỉ thai sản nhận quyết định cho thôi việc sa "
                     "thải đang ốm điều trị công ty không được cho nghỉ",
    "blld-2019:d204": "cả chuyền cả xưởng tự bỏ máy ngừng làm ngồi ngoài sân không có ai tổ chức "
                      "không qua công đoàn phản đối cắt tiền chuyên cần đình công tự phát",
    "blld-2019:d211": "ngừng việc tập thể tự phát không đúng trình tự công đoàn cấp trên phải hướng "
                      "dẫn đối thoại giải quyết",
    "blld-2019:d70": "giám đốc không chịu ngồi lại bàn với công đoàn không trả lời văn bản đề nghị "
                     "thương lượng về lương thưởng tết từ chối thương lượng",
    "blld-2019:d68": "công đoàn gửi yêu cầu thương lượng công ty không được từ chối",
    "nd-145-2020:d40": "công đoàn đề nghị đối thoại công ty không tổ chức đối thoại khi có yêu cầu",
    "luat-atvsld-2015:d6": "máy móc hỏng thiếu che chắn không an toàn công nhân không dám làm có "
                           "quyền từ chối làm việc quản đốc ép làm việc nguy hiểm vẫn được trả lương",
    "luat-atvsld-2015:d7": "công ty không được buộc công nhân tiếp tục làm việc khi có nguy cơ tai "
                           "nạn sửa chữa máy móc hỏng",
    "luat-atvsld-2015:d38": "bị máy cắt kẹp tay đứt ngón tay bị thương ngã giàn giáo công ty chỉ hỗ "
                            "trợ ít tiền rồi thôi phải thanh toán viện phí tiền thuốc trả lương "
                            "trong thời gian nằm viện",
    "luat-atvsld-2015:d39": "bồi thường tai nạn lao động suy giảm khả năng lao động mất ngón tay "
                            "thương tật công ty phải đền bao nhiêu",
    "luat-atvsld-2015:d34": "công ty giấu tai nạn không báo cơ quan nhà nước không khai báo tai nạn "
                            "lao động ngã giàn giáo chết người",
    "blld-2019:d42": "mất đơn hàng hết đơn hàng công ty thua lỗ cho nhiều người nghỉ hàng loạt tái "
                     "cơ cấu tự động hóa thay máy móc cắt giảm công nhân",
    "blld-2019:d44": "cho nhiều người nghỉ việc phải lập phương án và bàn với công đoàn",
    "blld-2019:d46": "làm mấy năm nghỉ việc công ty phải trả tiền trợ cấp mỗi năm nửa tháng lương "
                     "khoản tiền khi nghỉ việc đúng luật",
    "blld-2019:d35": "công nhân muốn nghỉ phải báo trước 30 ngày 45 ngày 3 ngày nghỉ không báo",
    "blld-2019:d36": "công ty đuổi việc vì làm không đạt chỉ tiêu ốm đau lâu ngày phải báo trước",
    "blld-2019:d98": "không trả tiền tăng ca làm thêm buổi tối chủ nhật ngày lễ tính lương thế nào",
    "blld-2019:d198": "công nhân đồng loạt ngừng việc đòi tăng lương",
    "blld-2019:d200": "muốn tổ chức đình công phải làm những bước nào lấy ý kiến ra quyết định thông báo",
    "luat-cd-2024:d29": "mỗi tháng bị trừ tiền công đoàn bao nhiêu công ty đóng 2% quỹ lương "
                        "đoàn phí 1% tiền lương",
    "luat-cd-2024:d30": "công ty khó khăn dịch bệnh không đóng kinh phí công đoàn xin tạm dừng",
    "luat-cd-2024:d31": "tiền quỹ công đoàn chi thăm hỏi ốm đau hiếu hỷ tổ chức hoạt động cho đoàn viên",
}
for _ref, _text in _MORE_SITUATIONS.items():
    ARTICLE_SITUATIONS[_ref] = f"{ARTICLE_SITUATIONS.get(_ref, '')} {_text}".strip()
