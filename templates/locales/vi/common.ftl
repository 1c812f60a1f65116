# Từ dùng chung: khung trang, tình trạng chỗ, các dạng số nhiều dùng trên nhiều trang.

seats-left = { $count ->
   *[other] Còn { $count } chỗ
}

chrome-skip = Chuyển đến nội dung chính
chrome-nav = Menu chính
chrome-festivals = Liên hoan phim
chrome-my-tickets = Vé của tôi
chrome-door = Cửa soát vé
chrome-organise = Quản lý
chrome-staff = Nhân sự
chrome-language = Ngôn ngữ
chrome-footer = Marquee — đặt vé và soát vé cho liên hoan phim

category-public = Khán giả
category-guest = Khách mời
category-press = Báo chí
category-jury = Ban giám khảo
category-pass = Thẻ
pass-category-audience = Thẻ liên hoan
pass-category-press = Báo chí
pass-category-industry = Giới chuyên môn
pass-category-jury = Ban giám khảo
pass-category-guest = Khách mời
pass-category-volunteer = Tình nguyện viên
role-organiser = Ban tổ chức
role-door = Nhân viên soát vé
role-member = Thành viên ban tổ chức
role-token = Mã API
team-role-owner = Trưởng ban
team-role-programme = Chương trình
team-role-box-office = Phòng vé
team-role-door-lead = Trưởng soát vé
team-role-reports = Báo cáo
team-role-door = Nhân viên soát vé
permission-team = ban tổ chức, cài đặt và dữ liệu cá nhân
permission-programme = chương trình chiếu
permission-box-office = phòng vé
permission-door-lead = tổ chức soát vé
permission-reports = báo cáo
permission-door = soát vé ở cửa
