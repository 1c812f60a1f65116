# Các trang dành cho khán giả: liên hoan phim, chương trình, suất chiếu, đặt chỗ, vé, danh sách chờ.

index-title = Liên hoan phim
index-outline = { $films } phim · { $venues }
meta-index = Chương trình và vé các liên hoan phim: tìm suất chiếu, đặt chỗ và nhận vé qua email.
meta-programme = { $festival }, { $dates }: toàn bộ phim, suất chiếu và địa điểm của chương trình, đặt chỗ trực tuyến.
meta-screening = { $film }, { $when } tại { $place }: đặt chỗ và nhận vé qua email.
index-none = Chưa có liên hoan phim nào được công bố.

programme-none = Chương trình chưa được công bố.
programme-time = Giờ
programme-film = Phim
programme-venue = Địa điểm
programme-seats = Chỗ
programme-filters = Lọc chương trình
programme-filter-day = Ngày
programme-filter-venue = Địa điểm
programme-filter-film = Phim
programme-every-day = Tất cả các ngày
programme-every-venue = Tất cả địa điểm
programme-every-film = Tất cả các phim
programme-show = Xem
programme-clear-filters = Bỏ bộ lọc
programme-no-match = Không có suất chiếu nào phù hợp với các lựa chọn này. Hãy chọn ngày, địa điểm hoặc phim khác, hoặc bỏ bộ lọc.
programme-matching = { $count ->
   *[other] Có { $count } suất chiếu phù hợp.
}
availability-cancelled = Đã hủy
availability-closed = Đã đóng đặt chỗ
availability-sold-out = Hết chỗ
availability-open = { $left ->
   *[other] Còn { $left }/{ $capacity } chỗ
}

screening-when = Thời gian
screening-where = Địa điểm
screening-film = Phim
screening-seats = Chỗ
screening-runtime = { $minutes } phút
screening-hours = { $start }–{ $end }
screening-others = Các suất chiếu khác của phim này
film-language-and-subtitles = Ngôn ngữ: { $language } · phụ đề { $subtitles }
film-language-no-subtitles = Ngôn ngữ: { $language } · không có phụ đề
film-subtitles = Phụ đề { $subtitles }
screening-cancelled = Suất chiếu này đã bị hủy.
screening-closed = Đã đóng đặt chỗ: suất chiếu đã bắt đầu.
screening-sold-out = Hết chỗ.
screening-sold-out-detail = Tất cả các chỗ đã được đặt.
screening-join-waitlist = Đăng ký vào danh sách chờ
screening-waitlist-explained = Những chỗ được trả lại do có người hủy sẽ lần lượt được mời theo thứ tự qua email, và được giữ cho bạn trong một thời gian giới hạn.
screening-book-seats = Đặt chỗ
screening-book = Đặt

form-your-name = Họ tên của bạn
form-email = Email
form-country = Quốc gia
form-choose-country = Chọn quốc gia của bạn…
form-seats = Số chỗ

booking-title = Lượt đặt chỗ của bạn
booking-just-booked = Đặt chỗ thành công! Vé của bạn đang được gửi đến { $email } (mã QR, tệp PDF để in và thông tin suất chiếu để thêm vào lịch). Địa chỉ của trang này là đường dẫn riêng để bạn xem lại vé. Lỡ làm mất đường dẫn?
booking-find-link = Tìm vé của tôi
booking-cancelled = Lượt đặt chỗ này đã bị hủy. Các vé chưa dùng của lượt đặt này không còn giá trị vào cửa.
booking-screening-cancelled = Suất chiếu đã bị hủy. Các vé này không còn giá trị vào cửa; vui lòng liên hệ ban tổ chức liên hoan phim về việc hoàn tiền hoặc chuyển sang suất chiếu khác.
booking-booked-by = Người đặt
booking-tickets = Vé
booking-tickets-explained = Mỗi chỗ có một mã QR. Hãy xuất trình mã tại cửa, trên điện thoại hoặc bản in.
booking-open-to-print = Mở để in
booking-cant-come = Không thể đến? Hãy hủy để nhường chỗ cho người khác.
booking-cancel = Hủy chỗ…
ticket-status-cancelled = Đã hủy
ticket-status-used = Đã sử dụng tại cửa
ticket-status-valid = Còn hiệu lực
ticket-seat-of = Chỗ { $seat }/{ $seats }
ticket-qr-label = Mã QR của vé cho chỗ { $seat }/{ $seats }
ticket-title = Vé — { $film }
ticket-holder = Người giữ vé
ticket-seat = Chỗ
ticket-status = Trạng thái
ticket-all-of-booking = Tất cả vé của lượt đặt này

find-title = Tìm vé của tôi
find-done = Nếu địa chỉ này có lượt đặt chỗ, một email liệt kê các lượt đặt đang được gửi đến bạn, mỗi lượt kèm đường dẫn để xem, in hoặc hủy vé. Việc này có thể mất vài phút; hãy kiểm tra cả thư mục thư rác.
find-explained = Bạn làm mất email chứa vé? Hãy nhập địa chỉ email bạn đã dùng khi đặt chỗ, chúng tôi sẽ gửi lại tất cả các lượt đặt hiện có.
find-email = Địa chỉ email
find-send = Gửi vé cho tôi

signin-title = Đăng nhập dành cho nhân sự
signin-credential = Mã đăng nhập của bạn
signin-submit = Đăng nhập
signin-explained = Mã đăng nhập do ban tổ chức tạo và chỉ hiển thị một lần.

error-page-status = Lỗi { $status }.
error-page-back = Quay lại danh sách liên hoan phim
signin-invalid = Mã đăng nhập này không hợp lệ hoặc đã bị thu hồi.
http-400 = Không đọc được yêu cầu
http-401 = Vui lòng đăng nhập
http-403 = Không được phép
http-404 = Không tìm thấy
http-409 = Hiện không thể thực hiện thao tác này
http-413 = Dữ liệu quá lớn
http-408 = Quá chậm
http-422 = Vui lòng kiểm tra lại thông tin đã nhập
http-429 = Quá nhiều yêu cầu
http-405 = Không được phép ở đây
http-503 = Tạm thời không khả dụng
http-error = Đã xảy ra lỗi

waitlist-title = Danh sách chờ — { $film }
waitlist-heading = Danh sách chờ: { $film }
waitlist-just-joined = Bạn đã có tên trong danh sách chờ. Chúng tôi đã gửi đường dẫn của trang này đến { $email }: hãy giữ lại để xem thứ tự của bạn hoặc rời khỏi danh sách.
waitlist-name = Họ tên
waitlist-status-waiting = Đang chờ — số thứ tự { $place }
waitlist-status-offered = Chỗ được giữ cho bạn đến { $until }
waitlist-status-claimed = Đã đặt: vé của bạn đã được gửi đến { $email }
waitlist-status-expired = Lời mời đã hết hạn và được chuyển cho người tiếp theo trong danh sách
waitlist-status-left = Bạn đã rời khỏi danh sách chờ
waitlist-status-removed = Ban tổ chức đã xóa bạn khỏi danh sách chờ
waitlist-offer = { $seats ->
   *[other] { $seats } chỗ là của bạn nếu bạn nhận trước { $until }. Bạn sẽ có vé ngay, và vé cũng được gửi qua email.
}
waitlist-claim = Nhận chỗ
waitlist-decline = Không, cảm ơn — nhường cho người tiếp theo
waitlist-explained = Khi có chỗ trống, các chỗ sẽ lần lượt được mời cho những người đầu danh sách có số chỗ cần đặt phù hợp. Bạn sẽ nhận được email có đường dẫn để nhận chỗ; chỗ được giữ cho bạn trong một thời gian giới hạn.
waitlist-leave = Rời khỏi danh sách chờ

booking-seats-cancelled = Các chỗ bạn chọn đã được hủy và trả lại cho người khác; các vé còn lại của bạn bên dưới vẫn có giá trị vào cửa.
booking-seats-given-back = đã trả lại { $n }
booking-ticket-cancelled = Đã hủy: vé này không còn giá trị vào cửa.
booking-back-to-programme = Chương trình của { $festival }
ticket-doors-open = Giờ mở cửa
ticket-print = In
cancel-title = Hủy chỗ — { $film }
cancel-keep = Giữ nguyên lượt đặt chỗ của tôi
cancel-consequence = Các chỗ bạn chọn sẽ được trả lại: vé của chúng lập tức không còn giá trị vào cửa, và các chỗ sẽ được dành cho danh sách chờ hoặc người đặt tiếp theo. Không thể hoàn tác. Bạn sẽ nhận được email xác nhận.
cancel-which = Bạn muốn trả lại những chỗ nào?
cancel-submit = Hủy các chỗ đã chọn
