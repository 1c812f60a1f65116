# Các trang của ban tổ chức và nhân sự: /admin (liên hoan phim, suất chiếu, danh sách chờ, hàng chờ
# tại chỗ, địa điểm, phim, mã đăng nhập của nhân sự, hộp thư đi, tìm lượt đặt chỗ), bảng điều khiển
# và biểu đồ lượt vào cửa (dashboard-, report-), và trang chủ của nhân sự (staff-).
# Mọi { $count }, { $seats }, { $minutes }… đều là số: bản dịch có thể chọn từ theo số đó bằng
# selector, kể cả khi tiếng Anh không làm vậy.

## Menu và các từ dùng chung cho nhiều trang của ban tổ chức

admin-nav-festivals = Liên hoan phim
admin-nav-venues = Địa điểm
admin-nav-films = Phim
admin-nav-staff = Nhân sự
admin-nav-bookings = Lượt đặt chỗ
admin-nav-outbox = Hộp thư đi

admin-link-dashboard = Bảng điều khiển
admin-link-screenings = Suất chiếu
admin-link-public-page = Trang công khai
admin-link-door = Cửa soát vé
admin-edit = Sửa
admin-save = Lưu
admin-delete = Xóa
admin-delete-unused-only = Chỉ xóa được khi chưa có suất chiếu nào sử dụng.
admin-choose = Chọn…
admin-time-zone = Múi giờ
admin-email = Email
admin-country = Quốc gia
admin-seats = Số chỗ

# Tiêu đề cột của các bảng.
admin-col-festival = Liên hoan phim
admin-col-dates = Ngày
admin-col-goal = Mục tiêu
admin-col-when = Thời gian
admin-col-film = Phim
admin-col-where = Địa điểm
admin-col-booked = Đã đặt
admin-col-place = Thứ tự
admin-col-name = Tên
admin-col-email = Email
admin-col-seats = Số chỗ
admin-col-status = Trạng thái
admin-col-screening = Suất chiếu
admin-col-venue = Địa điểm
admin-col-rooms = Phòng chiếu
admin-col-director = Đạo diễn
admin-col-year = Năm
admin-col-minutes = Phút
admin-col-role = Vai trò
admin-col-scope = Phạm vi
# The heading of a table's column of links and buttons, read by screen readers only.
admin-col-actions = Thao tác

## Liên hoan phim (/admin)

admin-overview-title = Ban tổ chức
admin-overview-heading = Liên hoan phim
admin-festival-new = Liên hoan phim mới
admin-festival-name = Tên
admin-festival-slug = Tên rút gọn dùng trong đường dẫn (chữ thường không dấu, chữ số, dấu gạch nối)
admin-festival-first-day = Ngày đầu tiên
admin-festival-last-day = Ngày cuối cùng
admin-festival-goal = Mục tiêu lượt tham dự
admin-festival-create = Tạo liên hoan phim

## Các suất chiếu của một liên hoan phim

admin-screenings-title = Suất chiếu — { $festival }
admin-screenings-heading = { $festival }: các suất chiếu
admin-screenings-cancelled = (đã hủy)
admin-screenings-edit = Sửa, mời khách
admin-screening-add-heading = Thêm suất chiếu
admin-screening-film = Phim
admin-screening-place = Địa điểm và phòng chiếu
# Một lựa chọn trong danh sách phòng chiếu.
admin-place = { $seats ->
   *[other] { $venue } — { $room } ({ $seats } chỗ)
}
admin-screening-starts = Giờ bắt đầu (giờ địa phương tại địa điểm)
admin-screening-capacity-default = Sức chứa (để trống: bằng số chỗ của phòng chiếu)
admin-screening-doors-open-default = Mở cửa trước giờ bắt đầu, số phút (mặc định { $minutes })
admin-screening-doors-close-default = Đóng cửa sau giờ bắt đầu, số phút (mặc định { $minutes })
admin-screening-add = Thêm suất chiếu

## Một suất chiếu: vé mời, danh sách chờ, hàng chờ tại chỗ, chỉnh sửa

admin-screening-title = { $film } — chỉnh sửa
admin-screening-booked = Đã đặt { $booked }/{ $capacity } chỗ
admin-screening-admitted = Đã vào: { $count }
admin-screening-arrivals-link = lượt vào cửa
admin-screening-all-link = tất cả suất chiếu

admin-invited = { $count ->
   *[other] Đã phát { $count } vé mời.
}
admin-invited-link = Hãy gửi đường dẫn riêng này cho khách mời (đường dẫn chỉ hiển thị lần này):
admin-invite-heading = Mời khách
admin-invite-name = Tên khách mời
admin-invite-category = Hạng vé
admin-invite-submit = Phát vé

admin-waitlist-heading = Danh sách chờ
admin-waitlist-open = Đang mở
admin-waitlist-closed-to-new = Không nhận đăng ký mới
admin-waitlist-offers-held = { $minutes ->
   *[other] lời mời được giữ tối đa { $minutes } phút (ít hơn khi gần đến giờ bắt đầu)
}
admin-waitlist-seats-held = { $count ->
   *[other] { $count } chỗ đang được giữ cho các lời mời chưa trả lời
}
admin-waitlist-new-entries = Đăng ký mới
admin-waitlist-option-open = Mở
admin-waitlist-option-closed = Đóng
admin-waitlist-hold-minutes = Thời gian giữ lời mời, số phút (5–1440)
admin-waitlist-save = Lưu cài đặt danh sách chờ
admin-waitlist-empty = Chưa có ai trong danh sách chờ.
admin-waitlist-col-move = Di chuyển hoặc xóa
admin-waitlist-up = Lên
admin-waitlist-down = Xuống
admin-waitlist-remove = Xóa
admin-waitlist-move-up-label = Chuyển { $name } lên
admin-waitlist-move-down-label = Chuyển { $name } xuống
admin-waitlist-remove-label = Xóa { $name } khỏi danh sách chờ
admin-entry-status-waiting = đang chờ
admin-entry-status-offered = đã được mời
admin-entry-status-offered-until = được mời đến { $until }
admin-entry-status-claimed = đã nhận chỗ
admin-entry-status-expired = đã hết hạn
admin-entry-status-left = đã rời danh sách
admin-entry-status-removed = đã bị xóa

admin-standby-heading = Hàng chờ tại chỗ ở cửa soát vé
admin-standby-explained = Từ { $time }, những chỗ chưa có người giữ vé vào sẽ được dành cho người xếp hàng không có vé, theo thứ tự số chờ do cửa soát vé phát
admin-standby-numbers = { $issued ->
   *[other] Đã phát { $issued } số chờ, { $admitted } người đã vào
}
admin-standby-none = Không có hàng chờ tại chỗ.
admin-standby-release = Mở chỗ cho hàng chờ trước giờ bắt đầu, số phút (để trống: không có hàng chờ tại chỗ)
admin-standby-keep = Số chỗ giữ lại cho người có vé đến muộn
admin-standby-save = Lưu cài đặt hàng chờ tại chỗ

admin-screening-edit-heading = Chỉnh sửa
admin-screening-capacity = Sức chứa
admin-screening-doors-open = Mở cửa trước giờ bắt đầu, số phút
admin-screening-doors-close = Đóng cửa sau giờ bắt đầu, số phút
admin-screening-pass-seats = Số ghế giữ cho người có thẻ liên hoan
admin-screening-pass-seats-hint = Khán giả không thể đặt những ghế này (ví dụ một hàng cho báo chí); người có thẻ có thể lấy bất kỳ ghế nào. 0: không giữ ghế nào. Ghế của thẻ không dùng đến và được trả lại trước giờ chiếu sẽ dành cho danh sách chờ.
admin-screening-reinstate = Khôi phục suất chiếu này
admin-screening-cancel = Hủy suất chiếu này

## Địa điểm và phim

admin-venues-title = Địa điểm
admin-venue-new = Địa điểm mới
admin-venue-name = Tên
admin-venue-city = Thành phố
admin-venue-address = Địa chỉ
# Các phòng chiếu được đọc lại theo dạng "tên: số chỗ", mỗi phòng một dòng: giữ dấu hai chấm trong lời giải thích.
admin-venue-rooms = Phòng chiếu, mỗi phòng một dòng theo dạng “tên: số chỗ”
admin-venue-create = Tạo địa điểm

admin-films-title = Phim
admin-film-new = Phim mới
admin-film-title = Tên phim
admin-film-original-title = Tên gốc
admin-film-director = Đạo diễn
admin-film-year = Năm
admin-film-runtime = Thời lượng (phút)
admin-film-language = Ngôn ngữ thoại
admin-film-subtitles = Phụ đề (để trống: không có)
admin-film-language-hint = Hãy ghi tên một ngôn ngữ (tiếng Việt) hoặc mã của nó (vi): khán giả sẽ đọc thấy bằng ngôn ngữ của chính mình.
admin-film-create = Tạo phim

## Mã đăng nhập của nhân sự

admin-staff-title = Nhân sự
admin-staff-credential-for = Mã đăng nhập của { $name }
admin-staff-credential-shown-once = chỉ hiển thị lần này. Hãy quét mã bằng thiết bị soát vé để đăng nhập cho thiết bị đó, hoặc gửi đường dẫn.
admin-staff-credential-qr = Mã QR của đường dẫn đăng nhập cho { $name }
admin-staff-api-credential = Mã đăng nhập dùng cho API
admin-staff-revoked = đã thu hồi
admin-staff-you = bạn
admin-staff-revoke = Thu hồi
admin-staff-new = Mã đăng nhập mới
admin-staff-name = Tên (một người hoặc một thiết bị, ví dụ “Cửa 1 Pathé”)
admin-staff-role = Vai trò
admin-staff-role-door = Nhân viên soát vé (chỉ quét vé)
admin-staff-role-organiser = Ban tổ chức
admin-staff-limited-to = Chỉ dùng cho
admin-staff-scope-everything = Tất cả (mọi liên hoan phim và địa điểm)
admin-staff-scope-festival-option = Liên hoan phim: { $name }
admin-staff-scope-venue-option = Địa điểm: { $name }
admin-staff-create = Tạo mã đăng nhập

## Hộp thư đi

admin-outbox-title = Hộp thư đi
admin-outbox-explained = Mọi thư mà Marquee gửi đi: vé sau khi đặt chỗ hoặc được mời, thông báo hủy, thay đổi của suất chiếu, “Tìm vé của tôi”.
# { $setting } là tên của thiết lập, hiển thị dưới dạng mã.
admin-outbox-files = Chưa cấu hình máy chủ SMTP ({ $setting }): thay vì được gửi đi, thư được ghi thành tệp trong thư mục lưu thư; hãy mở một tệp để xem chính xác nội dung lẽ ra đã được gửi.
admin-outbox-show = Hiển thị:
admin-outbox-all = tất cả
admin-outbox-showing = (đang hiển thị: { $status })
admin-outbox-col-created = Thời điểm tạo (UTC)
admin-outbox-col-to = Người nhận
admin-outbox-col-subject = Tiêu đề
admin-outbox-col-attempts = Số lần thử
admin-outbox-col-last-error = Lỗi gần nhất
admin-outbox-resend = Gửi lại
admin-outbox-empty = Không có thư nào.
admin-mail-status-queued = đang chờ gửi
admin-mail-status-sent = đã gửi
admin-mail-status-failed = gửi thất bại

## Tìm lượt đặt chỗ

admin-bookings-title = Lượt đặt chỗ
admin-bookings-heading = Tìm lượt đặt chỗ
admin-bookings-query = Tên hoặc email (có thể nhập một phần)
admin-bookings-search = Tìm
admin-bookings-none = Không có lượt đặt chỗ nào phù hợp.
admin-booking-title = Lượt đặt chỗ của { $name }
# Được tạo trong src/mail/pages.rs (booking_page).
admin-booking-screening = { $film } — { $when } tại { $venue }, { $room }
admin-booking-notice-resent = Vé đã được xếp vào hàng đợi để gửi lại qua email.
admin-booking-notice-cancelled = Lượt đặt chỗ đã bị hủy; người đặt sẽ được thông báo qua email.
admin-booking-tickets = Vé
admin-booking-seat = Chỗ { $seat }
admin-booking-resend = Gửi lại vé qua email
admin-booking-cancel = Hủy lượt đặt chỗ này (người đặt sẽ được thông báo qua email)
admin-booking-messages = Thư
admin-booking-no-messages = Chưa có thư nào.
admin-booking-back = Tìm lượt đặt chỗ khác
admin-booking-status-confirmed = đã xác nhận
admin-booking-status-cancelled = đã hủy
admin-ticket-status-valid = còn hiệu lực
admin-ticket-status-admitted = đã vào
admin-ticket-status-cancelled = đã hủy

## Bảng điều khiển của liên hoan phim

dashboard-title = { $festival } — bảng điều khiển
dashboard-explained = Lượt tham dự chỉ tính các vé đã được cho vào tại cửa, không tính số vé bán ra. Cập nhật trực tiếp
dashboard-public-programme = chương trình công khai

# Chú thích bên dưới các con số lớn; { $count } là con số phía trên.
dashboard-total-admitted = đã vào
dashboard-total-unique-attendees = { $count ->
   *[other] người tham dự (không trùng lặp)
}
dashboard-total-countries = { $count ->
   *[other] quốc gia
}
dashboard-total-tickets-issued = { $count ->
   *[other] vé đã phát hành
}
dashboard-total-no-shows = { $count ->
   *[other] vắng mặt
}
dashboard-total-films = { $count ->
   *[other] phim
}
dashboard-total-screenings = { $count ->
   *[other] suất chiếu
}
dashboard-total-standby-admitted = đã vào từ hàng chờ tại chỗ
dashboard-total-conflicts = { $count ->
   *[other] xung đột ngoại tuyến
}

dashboard-conflicts-heading = Xung đột ngoại tuyến
dashboard-conflicts-explained = Một cửa soát vé bị mất mạng đã cho các vé này vào, nhưng máy chủ không thể chấp nhận: vé đã được cho vào trước đó ở một cửa khác, đã bị hủy, hoặc không phải vé thật. Mỗi lượt vào vẫn chỉ được tính một lần. Hãy hỏi các cửa được nêu tên ở đây xem chuyện gì đã xảy ra (ảnh chụp màn hình bị chia sẻ, hai người dùng chung một vé), và dùng nhật ký quét để theo dõi tiếp.
dashboard-col-holder = Người giữ vé
dashboard-col-screening = Suất chiếu
dashboard-col-door-offline = Cửa (ngoại tuyến)
dashboard-col-server-says = Phản hồi của máy chủ

# Trang tự cập nhật các con số này: hãy viết mỗi số bằng chữ số (không viết thành chữ) để số
# được cập nhật trực tiếp.
dashboard-goal = Tiến độ so với mục tiêu { $goal }
# { $rate } là một tỷ lệ phần trăm, ví dụ "12.5%".
dashboard-fill-rate = { $capacity ->
   *[other] Tỷ lệ lấp đầy { $rate } trên { $capacity } chỗ
}
dashboard-no-show-rate = tỷ lệ vắng mặt { $rate } (các suất chiếu đã đóng cửa)
dashboard-tickets-to-come = { $count ->
   *[other] còn { $count } vé chưa vào cửa
}

dashboard-screenings-heading = Suất chiếu
dashboard-col-day = Ngày
dashboard-col-capacity = Sức chứa
dashboard-col-booked = Đã đặt
dashboard-col-admitted = Đã vào
dashboard-col-fill = Lấp đầy
dashboard-col-no-shows = Vắng mặt
dashboard-cancelled = đã hủy
dashboard-countries-heading = Quốc gia
dashboard-col-country = Quốc gia
dashboard-col-tickets = Vé
dashboard-col-attendees = Người tham dự
dashboard-categories-heading = Hạng vé
dashboard-col-category = Hạng vé

dashboard-downloads-heading = Tải xuống
dashboard-json-report = báo cáo
dashboard-csv-excel = CSV cho bảng tính dùng dấu phẩy thập phân (Excel tiếng Pháp: “;” giữa các ô, “0,25”):
dashboard-counter-check = kiểm tra bộ đếm
dashboard-scan-log-check = kiểm tra nhật ký quét
dashboard-generated = Tạo lúc { $when }

## Biểu đồ và bảng của báo cáo

report-chart-by-day = Lượt vào theo ngày (so với sức chứa)
report-chart-by-film = Lượt vào theo phim (so với sức chứa)
report-chart-by-venue = Lượt vào theo địa điểm (so với sức chứa)
# Chú thích khi rê chuột lên một thanh, ghi đầy đủ nhãn; { $label } là một ngày, một phim hoặc một địa điểm.
report-chart-bar = { $label }: { $admitted } lượt vào trên { $capacity } chỗ
# { $percent } là một tỷ lệ phần trăm, ví dụ "42.0%".
report-chart-progress = { $goal ->
   *[other] { $admitted } trên mục tiêu { $goal } người tham dự ({ $percent })
}
report-chart-arrivals = { $minutes ->
   *[other] Lượt vào mỗi { $minutes } phút
}
# Đánh dấu giờ bắt đầu của suất chiếu trên biểu đồ lượt vào cửa.
report-chart-start = bắt đầu

# Các bảng tải xuống (tệp vẫn giữ tên tiếng Anh).
report-table-totals = tổng số
report-table-screenings = suất chiếu
report-table-films = phim
report-table-venues = địa điểm
report-table-days = ngày
report-table-countries = quốc gia
report-table-categories = hạng vé

## Lượt vào cửa của một suất chiếu

report-arrivals-title = Lượt vào cửa — { $film }
report-arrivals-heading = Lượt vào cửa: { $film }
report-arrivals-starts = Bắt đầu: { $when }
report-arrivals-admitted = Đã vào: { $count }
report-arrivals-explained = { $minutes ->
   *[other] số lượt vào mỗi { $minutes } phút, từ lúc mở cửa đến lúc đóng cửa
}
report-col-from = Từ
report-col-minutes-from-start = Phút so với giờ bắt đầu
report-col-admitted = Đã vào

## Trang chủ của nhân sự (/staff)

staff-title = Nhân sự
staff-signed-in = Đã đăng nhập với tên { $name }
staff-role = Vai trò:
staff-limited-to = chỉ dùng cho { $scope }
staff-scope-festival = liên hoan phim { $festival }
staff-scope-venue = địa điểm { $venue }
staff-sign-out = Đăng xuất
# { $link } là đường dẫn, có chữ lấy từ staff-organiser-pages-link.
staff-organiser-pages = { $link }: liên hoan phim, địa điểm, phim, suất chiếu, nhân sự, mời khách.
staff-organiser-pages-link = Trang của ban tổ chức
# { $link } là đường dẫn, có chữ lấy từ staff-door-page-link.
staff-door-page = { $link } để quét vé.
staff-door-page-link = Mở trang soát vé
staff-festivals-heading = Liên hoan phim
staff-col-festival = Liên hoan phim
staff-col-screenings = Suất chiếu
staff-col-booked = Chỗ đã đặt
staff-col-capacity = Sức chứa
staff-col-goal = Mục tiêu
staff-dashboard-link = bảng điều khiển

admin-confirm-back = Quay lại, không thay đổi gì
admin-confirm-cancel-screening-title = Hủy { $film }, { $when }?
admin-confirm-cancel-screening = { $holders ->
    [0] Chưa ai có vé. Suất chiếu sẽ hiển thị là đã hủy và không nhận đặt chỗ nữa.
   *[other] { $holders } người có vé sẽ được báo qua email; { $tickets } vé của họ sẽ không còn giá trị vào cửa. Có thể khôi phục suất chiếu sau, nhưng không thể rút lại email đã gửi.
}
admin-confirm-revoke-title = Thu hồi mã đăng nhập của { $name }?
admin-confirm-revoke = { $name } sẽ bị đăng xuất ngay trên mọi thiết bị và không thể đăng nhập, soát vé hay dùng API với mã này nữa. Không thể hoàn tác: để làm việc tiếp, cần một mã đăng nhập mới.
admin-screening-cancel-ellipsis = Hủy suất chiếu này…
admin-staff-revoke-ellipsis = Thu hồi…
admin-screening-confirm = Vẫn thêm: tôi đã kiểm tra giờ và phòng chiếu
admin-notice-festival-added = Đã thêm liên hoan phim: { $name }. Giờ hãy thêm các suất chiếu.
admin-notice-venue-added = Đã thêm địa điểm: { $name }.
admin-notice-film-added = Đã thêm phim: { $name }.
admin-notice-screening-added = Đã thêm suất chiếu: { $film }, { $when }.
admin-notice-screening-saved = Đã lưu suất chiếu: { $film }, { $when }.
admin-notice-saved = Đã lưu.
admin-screening-delete = Xóa suất chiếu này (chưa ai đặt chỗ)
admin-notice-screening-deleted = Đã xóa suất chiếu: { $film }, { $when }.
admin-film-synopsis = Tóm tắt nội dung (vài dòng, hiển thị trên trang suất chiếu)

## Importing the programme.

admin-programme-import = Nhập chương trình
admin-programme-import-field = Chương trình, dạng CSV (chép từ bảng tính lưu dưới dạng "CSV UTF-8")
admin-programme-import-help = Dòng đầu: title,venue,room,starts_at (và director,year,runtime_minutes,country cho phim mới; original_title và capacity nếu có). Mỗi dòng một suất chiếu; giờ bắt đầu theo giờ địa phương của địa điểm, ví dụ 2030-12-07 20:00. Địa điểm và phòng phải có sẵn. Hãy kiểm tra trước: không gì được ghi cho đến khi mọi dòng đều đúng, và nhập lại cùng chương trình không thay đổi gì.
admin-programme-import-submit = Nhập chương trình
admin-programme-import-would = Chương trình đúng: sẽ thêm { $created } suất chiếu ({ $films } phim mới), { $unchanged } đã có.
admin-programme-import-done = Đã nhập: thêm { $created } suất chiếu ({ $films } phim mới), { $unchanged } đã có.
team-title = Ban tổ chức của { $festival }
team-explained = Mỗi người đăng nhập bằng đường dẫn riêng và chỉ có vai trò trong liên hoan phim này. Trưởng ban trao mọi vai trò; trưởng soát vé thêm và bớt nhân viên soát vé.
team-audit-link = Nhật ký kiểm tra
team-signin-link = Đường dẫn đăng nhập của họ (hãy gửi cho họ; nó có hiệu lực cho đến khi quyền truy cập bị thu hồi):
team-token-secret = Mã, để điền vào cài đặt của tích hợp
team-members-heading = Thành viên
team-col-roles = Vai trò
team-roles-of = Vai trò của { $name }
team-save-roles = Lưu vai trò
team-empty = Chưa ai có vai trò trong liên hoan phim này.
team-new-heading = Thêm một người
team-add = Thêm vào ban tổ chức
team-tokens-heading = Mã API
team-tokens-explained = Dành cho các tích hợp: mỗi mã chỉ dùng cho liên hoan phim này, với các quyền đã chọn, cho đến khi hết hạn hoặc bị thu hồi.
team-col-permissions = Quyền
team-col-expires = Hết hạn
team-col-last-used = Dùng lần cuối
team-token-by = do { $name } tạo
team-token-revoke = Thu hồi { $name }
team-tokens-empty = Chưa có mã API nào.
team-token-new = Mã mới
team-token-name = Tên (dùng để làm gì)
team-token-days = Số ngày đến khi hết hạn
team-token-create = Tạo mã
team-never = chưa bao giờ
team-token-revoked = Đã thu hồi mã: nó không còn dùng được.
audit-title = Nhật ký kiểm tra của { $festival }
audit-explained = Mọi thay đổi do ban tổ chức thực hiện và mọi lần xem dữ liệu cá nhân, mới nhất trước. Không thể sửa hay xóa các mục.
audit-team-link = Ban tổ chức
audit-filter-action = Thao tác bắt đầu bằng
audit-filter-actor = Người (mã)
audit-filter-since = Từ
audit-filter-until = Đến
audit-filter = Lọc
audit-download = Tải về dạng CSV
audit-col-at = Khi nào
audit-col-actor = Ai
audit-col-action = Thao tác
audit-col-subject = Đối tượng
audit-col-change = Thay đổi
audit-before = Trước
audit-after = Sau
audit-empty = Chưa có gì được ghi lại.
admin-nav-my-festivals = Các liên hoan phim của tôi
staff-festival-team = Ban tổ chức
staff-festival-audit = Nhật ký kiểm tra
staff-your-roles = Vai trò của bạn: { $roles }
account-title = Tài khoản của bạn
account-link-sent-title = Hãy kiểm tra hộp thư
account-link-sent = Nếu địa chỉ này thuộc về một thành viên ban tổ chức, đường dẫn đăng nhập đang được gửi đến. Nó dùng được một lần, trong 15 phút.
account-back-to-signin = Quay lại đăng nhập
account-link-title = Đăng nhập
account-code = Mã từ ứng dụng xác thực của bạn
account-code-or-recovery = Hoặc một trong các mã khôi phục. Mỗi mã chỉ dùng được một lần.
account-code-wrong = Mã không đúng. Hãy thử mã hiện tại trong ứng dụng, hoặc một mã khôi phục.
account-code-used = Mã này đã được dùng. Hãy đợi mã tiếp theo.
account-code-too-many = Nhập sai quá nhiều lần: hãy thử lại sau 15 phút.
account-welcome-title = Chào mừng
account-welcome-heading = Chào mừng { $name }
account-welcome-explained = Thiết lập tài khoản: ứng dụng xác thực sẽ cho bạn một mã để đăng nhập, sau đường dẫn Marquee gửi qua thư.
account-totp-heading = Ứng dụng xác thực
account-totp-explained = Quét mã này bằng ứng dụng xác thực (hoặc nhập khóa vào đó), rồi nhập mã 6 chữ số ứng dụng hiển thị.
account-totp-qr = Mã QR để thêm Marquee vào ứng dụng xác thực
account-totp-key = Khóa:
account-totp-enable = Thiết lập ứng dụng
account-totp-replace = Thay ứng dụng
account-totp-on = Đã thiết lập ứng dụng xác thực. Để chuyển sang ứng dụng khác, hãy quét mã mới này và nhập mã của nó.
account-totp-open-app = Mở bằng ứng dụng xác thực trên thiết bị này
account-codes-title = Mã khôi phục
account-codes-explained = Hãy cất giữ các mã này ở nơi an toàn: mỗi mã cho phép đăng nhập một lần không cần ứng dụng. Chúng chỉ hiển thị lúc này.
account-codes-continue = Tiếp tục
account-codes-left = Còn { $count } mã khôi phục.
account-codes-new = Tạo mã khôi phục mới
account-add-factor = Bảo vệ tài khoản: hãy thiết lập ứng dụng xác thực bên dưới.
account-sessions-heading = Những nơi bạn đang đăng nhập
account-col-device = Thiết bị
account-col-place = Địa chỉ
account-col-method = Đăng nhập bằng
account-col-last-seen = Lần cuối
account-this-session = phiên này
account-end-session = Đăng xuất ở đó
account-end-others = Đăng xuất ở mọi nơi khác
account-email-heading = Địa chỉ thư điện tử
account-email = Địa chỉ thư điện tử
account-email-save = Lưu địa chỉ
account-email-signin-heading = Hoặc đăng nhập qua thư điện tử
account-email-signin = Gửi cho tôi đường dẫn đăng nhập
team-email = Địa chỉ thư điện tử (thư mời sẽ được gửi; để trống: đường dẫn đăng nhập để trao tay)
team-invited = Đã gửi thư mời cho { $name }.
account-passkey-signin-heading = Đăng nhập bằng khóa truy cập
account-passkey-signin = Đăng nhập bằng khóa truy cập
account-passkeys-heading = Khóa truy cập
account-passkeys-explained = Khóa truy cập cho phép bạn đăng nhập bằng khóa màn hình của thiết bị này (vân tay, khuôn mặt, mã PIN) hoặc khóa bảo mật: không cần đường dẫn hay mã. Hãy thêm một khóa trên mỗi thiết bị bạn dùng.
account-passkey-used = dùng lần cuối { $at }
account-passkey-remove = Xóa { $name }
account-passkey-name = Tên của khóa truy cập này
account-passkey-default-name = Thiết bị của tôi
account-passkey-add = Thêm khóa truy cập
staff-add-factor = Hãy bảo vệ tài khoản: thêm khóa truy cập hoặc ứng dụng xác thực tại { $link }.
