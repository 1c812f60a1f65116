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
