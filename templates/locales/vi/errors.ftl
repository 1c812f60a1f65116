# Lỗi: trường `message` trong các lỗi JSON của API và nội dung các trang báo lỗi.
# Mã `error` đi kèm (not_found, sold_out…) không bao giờ được dịch.

error-not-found = Không tìm thấy { $thing }
thing-screening = suất chiếu
thing-festival = liên hoan phim
thing-venue = địa điểm
thing-film = phim
thing-booking = lượt đặt chỗ
thing-ticket = vé
thing-scan = lượt quét
thing-waitlist-entry = lượt đăng ký danh sách chờ
thing-message = thư
thing-staff-member = nhân viên
thing-page = trang
error-rate-limited = Địa chỉ này đã gửi quá nhiều yêu cầu; vui lòng thử lại sau { $seconds } giây.
error-busy = Cơ sở dữ liệu đang bận; vui lòng thử lại.
error-internal = Đã xảy ra lỗi từ phía chúng tôi; lỗi này đã được ghi lại.
error-database-unavailable = Cơ sở dữ liệu hiện không khả dụng; vui lòng thử lại.
error-already-exists = Mục này đã tồn tại.

## Phần thân yêu cầu của API (dành cho lập trình viên: giữ nguyên chi tiết của trình phân tích).

error-json-syntax = Phần thân không phải JSON hợp lệ: { $detail }
error-json-body = Không đọc được phần thân JSON: { $detail }
error-json-field = { $label }: { $detail }
error-body-not-json = Phần thân yêu cầu phải là JSON (Content-Type: application/json).
error-body-too-large = Phần thân yêu cầu không được vượt quá { $bytes } byte.
error-body-timeout = Phần thân yêu cầu không đến kịp; vui lòng thử lại.
error-unknown-method = Máy chủ này không hỗ trợ phương thức HTTP đó.
error-direction-characters = { $label } chứa ký tự ẩn làm đổi hướng văn bản; vui lòng xóa chúng.
error-body-unreadable = Không đọc được phần thân yêu cầu: { $detail }

## Biểu mẫu, địa chỉ và chuỗi truy vấn.

error-form-too-large = Biểu mẫu này quá dài để gửi: tối đa { $bytes } byte. Vui lòng rút gọn nội dung bạn đã viết.
error-form-unreadable = Không đọc được biểu mẫu này; hãy tải lại trang và thử lại. ({ $detail })
error-bad-path = Không có nội dung nào tại địa chỉ này: { $detail }
error-bad-query = Địa chỉ có một giá trị không đọc được: { $detail }
error-no-route = Không có nội dung nào tại { $method } { $path }.

## Đăng nhập và quyền hạn.

error-credential-revoked = Mã đăng nhập này không hợp lệ hoặc đã bị thu hồi.
error-sign-in-staff = Vui lòng đăng nhập với tư cách nhân sự của liên hoan phim để thực hiện thao tác này.
error-sign-in-organiser = Vui lòng đăng nhập với tư cách ban tổ chức để thực hiện thao tác này.
error-organisers-only = Chỉ ban tổ chức mới có thể thực hiện thao tác này.
error-cookies-needed = Trang này cần cookie: vui lòng cho phép cookie trong trình duyệt của bạn.
error-form-expired = Biểu mẫu này đã hết hạn hoặc được gửi từ một trang web khác. Hãy tải lại trang và thử lại.
error-cross-site-form = Biểu mẫu này được gửi từ một trang web khác nên không được chấp nhận. Hãy mở trang trên trang web này rồi gửi lại.
error-metrics-token = Cần bearer token MARQUEE_METRICS_TOKEN để xem số liệu đo lường (metrics).

## Tình trạng của dịch vụ.

error-database-silent = Cơ sở dữ liệu không phản hồi.
error-stopping = Máy chủ này đang dừng; một máy chủ khác sẽ trả lời.

## Giá trị nhập vào biểu mẫu và các trường của API. `$field` là mã của trường (name, email, starts_at…),
## được giữ nguyên để ứng dụng gọi API biết đó là trường nào.

error-required = { $field ->
    [name] Vui lòng nhập họ tên.
    [email] Vui lòng nhập địa chỉ email của bạn.
   *[other] Vui lòng điền trường { $label }.
}
error-too-long = { $label } quá dài: tối đa { $max } ký tự.
error-control-characters = { $label } chứa ký tự không được dùng ở đây, chẳng hạn như ký tự xuống dòng.
error-number-between = { $label } phải là một số từ { $min } đến { $max }.
error-number-too-big = { $label } quá lớn.
error-email = Vui lòng nhập địa chỉ email theo dạng name@example.org.
error-country = Vui lòng chọn quốc gia của bạn.
error-slug = Trường slug chỉ được dùng chữ cái thường không dấu, chữ số và dấu gạch nối đơn, ví dụ vfw-paris-2025.
error-timezone = Trường timezone phải là tên một múi giờ, ví dụ Europe/Paris.
error-years = { $label } phải nằm trong khoảng từ năm { $first } đến năm { $last }.
error-time-skipped = { $label }: thời điểm này không tồn tại ở múi giờ { $zone } vì đồng hồ được chuyển giờ vào lúc đó.
error-time = { $label } phải là ngày giờ theo dạng 2025-12-12T20:00 hoặc 2025-12-12T20:00:00+01:00.

## Các biểu mẫu của ban tổ chức.

error-whole-number = { $label } phải là số nguyên, ví dụ 12.
error-date = { $label } phải là ngày theo dạng 2025-12-06.
error-rooms-line = Hãy viết mỗi phòng chiếu trên một dòng theo dạng “tên: số chỗ”, ví dụ “Salle 1: 120”; dòng này không đúng dạng: { $line }
error-room-choose = Hãy chọn một địa điểm và một phòng chiếu.
error-role = Hãy chọn vai trò: ban tổ chức hoặc nhân viên soát vé.
error-scope = Hãy chọn phạm vi làm việc của người này: một liên hoan phim, một địa điểm, hoặc tất cả.
error-scope-no-festival = Liên hoan phim đó không còn tồn tại.
error-scope-no-venue = Địa điểm đó không còn tồn tại.
error-own-credential = Bạn không thể thu hồi mã đăng nhập của chính mình khi đang đăng nhập bằng mã đó.

## Đặt chỗ và hủy.

error-category = Hãy chọn loại vé: khách mời (guest), báo chí (press) hoặc ban giám khảo (jury).
error-screening-cancelled = Suất chiếu này đã bị hủy.
error-booking-closed = Đã đóng đặt chỗ: suất chiếu đã bắt đầu.
error-seats-held-for-waitlist = Các chỗ trống được ưu tiên dành cho những người trong danh sách chờ. Hãy đăng ký vào danh sách chờ để được xếp lượt tiếp theo.
error-sold-out = Suất chiếu này đã hết chỗ.
error-only-seats-left = { $count ->
   *[other] Chỉ còn { $count } chỗ, nhưng bạn yêu cầu { $asked } chỗ.
}
error-booking-all-used = Tất cả vé của lượt đặt chỗ này đều đã được dùng tại cửa, nên không thể hủy.
error-booking-cancelled-meanwhile = Lượt đặt chỗ này cũng vừa bị hủy vào đúng lúc đó. Hãy tải lại trang để xem.
error-manage-token = Hãy gửi mã quản lý (manage token) của lượt đặt chỗ dưới dạng “Authorization: Bearer …”.

## Danh sách chờ.

error-screening-started = Suất chiếu đã bắt đầu.
error-waitlist-closed = Danh sách chờ của suất chiếu này đã đóng.
error-seats-available = { $count ->
   *[other] Hiện còn { $count } chỗ trống: hãy đặt chỗ trực tiếp.
}
error-offer-claimed = Các chỗ này đã được nhận: vé đã được gửi qua email cho bạn.
error-no-offer-yet = Bạn chưa được mời nhận chỗ nào. Bạn sẽ nhận được email khi có chỗ dành cho bạn.
error-offer-closed = Lời mời này không còn hiệu lực: các chỗ đã được chuyển cho người tiếp theo trong danh sách.
error-offer-expired = Lời mời này đã hết hạn: các chỗ đã được chuyển cho người tiếp theo trong danh sách.
error-offer-minutes = Giá trị offer_minutes phải từ 5 đến 1440 (24 giờ).
error-position = Vị trí phải từ 1 trở lên.

## Liên hoan phim, địa điểm, phim và suất chiếu.

error-festival-ends-before-start = Liên hoan phim không thể kết thúc (ends_on) trước khi bắt đầu (starts_on).
error-festival-too-long = Một liên hoan phim chỉ được kéo dài tối đa một năm.
error-rooms-count = Một địa điểm phải có từ 1 đến { $max } phòng chiếu.
error-room-twice = { $label }: phòng chiếu “{ $name }” bị liệt kê hai lần.
error-uuid = { $label } phải là một id (UUID).
error-room-unknown = Hãy chọn một trong các phòng chiếu của địa điểm: { $rooms }.
error-screening-ends-before-start = Suất chiếu phải kết thúc (ends_at) sau khi bắt đầu (starts_at).
error-screening-too-long = Một suất chiếu chỉ được kéo dài tối đa 24 giờ.
error-screening-status = Trạng thái phải là scheduled hoặc cancelled.
error-no-such-film = Không có phim nào với id này (film_id).
error-no-such-venue = Không có địa điểm nào với id này (venue_id).
error-no-such-festival = Không có liên hoan phim nào với id này (festival_id).
error-festival-in-use = { $count ->
   *[other] Liên hoan phim có { $count } suất chiếu: hãy hủy suất chiếu thay vì xóa liên hoan phim.
}
error-venue-in-use = { $count ->
   *[other] Địa điểm có { $count } suất chiếu nên không thể xóa.
}
error-film-in-use = { $count ->
   *[other] Phim có { $count } suất chiếu nên không thể xóa.
}
error-room-in-use = Phòng chiếu “{ $room }” có suất chiếu đã lên lịch nên không thể xóa.
error-room-too-small = { $capacity ->
   *[other] Phòng chiếu “{ $room }” có một suất chiếu { $capacity } chỗ nên không thể giảm xuống còn { $seats } chỗ.
}
error-capacity-below-booked = { $count ->
   *[other] Đã có { $count } chỗ được đặt: sức chứa không thể thấp hơn con số này.
}
error-capacity-below-pass-seats = Sức chứa không thể nhỏ hơn { $count } ghế giữ cho người có thẻ liên hoan: hãy đổi số ghế đó trước.
error-festival-staff-scoped = { $count ->
   *[other] Có { $count } mã đăng nhập nhân sự chỉ dùng được cho liên hoan phim này: hãy thu hồi trước.
}
error-venue-staff-scoped = { $count ->
   *[other] Có { $count } mã đăng nhập nhân sự chỉ dùng được cho địa điểm này: hãy thu hồi trước.
}
error-slug-taken = Một liên hoan phim khác đã dùng slug này.
error-venue-exists = Thành phố này đã có một địa điểm cùng tên.
error-film-exists = Đã có một phim cùng tên và cùng năm.
error-writer-stopped = Cơ sở dữ liệu hiện chưa thể ghi thay đổi; vui lòng thử lại sau giây lát.
error-manage-token-or-query = Hãy gửi mã quản lý (manage token) của lượt đặt chỗ dưới dạng “Authorization: Bearer …” hoặc ?token=.
error-not-an-image = Phần thân phải là ảnh PNG hoặc JPEG.
error-scan-own-festival-only = Mã đăng nhập này chỉ được quét vé của liên hoan phim mà nó được cấp.
error-scan-own-venue-only = Mã đăng nhập này chỉ được quét vé tại địa điểm mà nó được cấp.
error-mail-status = Trạng thái phải là queued, sent hoặc failed.
error-mail-no-file = Thư này không được ghi ra tệp.
error-mail-file-gone = Tệp của thư này không còn nữa: { $detail }
error-resend-cancelled = Lượt đặt chỗ này đã bị hủy: không có vé nào để gửi.
error-no-such-table = Không có bảng này. Hãy chọn một trong các bảng: { $tables }.
error-organiser-scope = Ban tổ chức xem được mọi liên hoan phim: chỉ nhân viên soát vé mới có thể bị giới hạn trong một liên hoan phim hoặc một địa điểm.

## Quét vé tại cửa (dành cho tình nguyện viên soát vé và lập trình viên của thiết bị soát vé).

error-scan-target = Hãy gửi screening_id hoặc venue_id (đúng một trong hai).
error-scanned-at = Giá trị scanned_at phải là thời điểm theo dạng 2025-12-12T20:00:00+01:00 (RFC 3339).
error-nonce-reused = Giá trị nonce này đã được dùng cho một mã hoặc một cửa khác. Hãy gửi nonce mới cho mỗi lượt quét, và chỉ gửi lại cùng một nonce khi thử lại đúng lượt quét đó.
error-no-screening-today = Hôm nay không có suất chiếu nào tại địa điểm này.
error-annul-other-door = Chỉ cửa đã cho vé vào mới có thể hoàn tác.
error-annul-not-admission = Chỉ có thể hoàn tác một lượt cho vào.
error-annul-too-late = Chỉ có thể hoàn tác lượt cho vào trong vòng { $seconds } giây.
error-annul-not-last = Chỉ có thể hoàn tác lượt cho vào gần nhất của cửa.
error-annul-booking-cancelled = Lượt đặt chỗ đã bị hủy sau lượt cho vào này, nên không thể hoàn tác nữa.
error-annul-already = Lượt cho vào này đã được hoàn tác.
error-sync-too-many = Mỗi yêu cầu chỉ gửi tối đa { $max } lượt quét; phần còn lại hãy gửi trong yêu cầu khác.
error-scanned-at-window = Giá trị scanned_at phải nằm trong 7 ngày gần đây và không ở tương lai: hãy kiểm tra đồng hồ của thiết bị.
error-device-time = Giá trị device_time phải là giờ của thiết bị theo dạng 2025-12-12T20:00:00+01:00 (RFC 3339).

## Hàng chờ tại chỗ.

error-standby-off = Suất chiếu này không có hàng chờ tại chỗ (ban tổ chức có thể thiết lập trên trang của suất chiếu).
error-standby-nobody-waiting = Không có số chờ nào đang chờ: hãy phát số chờ trước.
error-standby-not-released = Hàng chờ tại chỗ bắt đầu lúc { $time }: trước giờ đó, các chỗ được giữ cho người có vé.
error-standby-no-seats = Không còn chỗ trống cho hàng chờ tại chỗ: mọi chỗ đều đã có người hoặc được giữ cho người có vé đến muộn.
error-standby-release-minutes = Giá trị release_minutes_before_start phải từ 0 đến 240.
error-standby-keep-for-late = Giá trị keep_for_late phải từ 0 đến sức chứa ({ $capacity }).
error-csv-sep = Dấu phân cách phải là comma (dấu phẩy) hoặc semicolon (dấu chấm phẩy).
error-cancel-choose-seats = Hãy chọn ít nhất một chỗ để hủy.
error-cancel-not-these = Một số chỗ đã chọn không thể hủy nữa (đã dùng ở cửa hoặc đã hủy trước đó): không có gì thay đổi.
error-door-is-code = Tên cửa trông giống mã vé: hãy nhập tên cửa (ví dụ “Cửa Pathé 1”), rồi quét.
error-screening-past = Thời điểm bắt đầu này đã qua. Hãy kiểm tra ngày giờ, hoặc xác nhận để vẫn thêm.
error-screening-outside-festival = Ngày này nằm ngoài thời gian của liên hoan phim ({ $dates }). Hãy kiểm tra ngày, hoặc xác nhận để vẫn thêm.
error-screening-overlaps = { $film } đang chiếu trong phòng này vào lúc đó ({ $when }). Hãy chọn phòng hoặc giờ khác, hoặc xác nhận để vẫn thêm.

# Fields as people read them (`$label` in the messages above; `$field` stays the code).
field-name = Tên
field-email = Địa chỉ email
field-country = Quốc gia
field-seats = Số chỗ
field-title = Tên phim
field-original-title = Tên gốc
field-director = Đạo diễn
field-year = Năm
field-runtime = Thời lượng
field-slug = Tên trong địa chỉ web
field-starts-on = Ngày đầu
field-ends-on = Ngày cuối
field-timezone = Múi giờ
field-attendance-goal = Mục tiêu khán giả
field-city = Thành phố
field-address = Địa chỉ
field-rooms = Các phòng chiếu
field-room = Phòng chiếu
field-starts-at = Giờ bắt đầu
field-ends-at = Giờ kết thúc
field-capacity = Sức chứa
field-doors-open = Giờ mở cửa
field-doors-close = Giờ đóng cửa
field-door = Cửa
field-language = Ngôn ngữ
field-subtitles = Phụ đề
field-scanned-at = Giờ quét
error-screening-in-use = Đã có người đặt chỗ, đăng ký danh sách hoặc được quét vé ở suất chiếu này: hãy hủy suất chiếu để mọi người được báo.
error-idempotency-key = Idempotency-Key phải gồm 1 đến 255 ký tự ASCII nhìn thấy được (ví dụ một UUID).
error-idempotency-key-reused = Idempotency-Key này đã được dùng cho một yêu cầu khác: hãy gửi khóa mới với yêu cầu mới.
error-idempotency-key-in-use = Yêu cầu đầu tiên với Idempotency-Key này chưa có câu trả lời (đang xử lý, hoặc đã thất bại): hãy thử lại sau giây lát, hoặc gửi yêu cầu với một khóa mới.
error-permission-needed = Vai trò của bạn không cho phép thao tác này ở đây: cần quyền về { $permission }.
error-instance-admin-only = Chỉ quản trị viên của hệ thống Marquee này mới có thể thực hiện thao tác này.
error-team-role = Vai trò phải là một trong owner, programme, box_office, door_lead, reports và door.
error-team-no-role = Hãy chọn ít nhất một vai trò.
error-team-door-credential = Mã soát vé chỉ có thể là nhân viên soát vé: hãy thêm người đó vào ban tổ chức để trao vai trò khác.
error-team-not-member = Người này quản trị toàn bộ hệ thống: quyền của họ không đặt theo từng liên hoan phim.
error-team-name-or-id = Hãy gửi tên của thành viên mới hoặc mã của một thành viên đã có.
error-team-own-owner = Bạn không thể tự bỏ vai trò trưởng ban của mình: hãy nhờ một trưởng ban khác.
error-token-permission = Hãy chọn quyền của mã trong số programme, box_office, door_lead, reports và door.
error-token-days = Một mã có hiệu lực từ 1 đến { $max } ngày.
error-audit-format = Định dạng phải là json hoặc csv.
error-account-link = Đường dẫn này đã được dùng, đã hết hạn hoặc không tồn tại. Hãy yêu cầu đường dẫn mới.
error-account-email-taken = Một thành viên khác đã dùng địa chỉ này.
error-account-totp-code = Không đọc được khóa này.
error-passkey-origin = Khóa truy cập cần địa chỉ trang là một tên miền (như localhost), không phải địa chỉ IP.
error-passkey-refused = Khóa truy cập không được chấp nhận. Hãy thử lại.
error-passkey-none = Chưa có khóa truy cập cho địa chỉ này: hãy đăng nhập qua thư điện tử, rồi thêm khóa ở trang tài khoản.
error-account-token = Mã API không có tài khoản: tài khoản, phiên và khóa truy cập là của con người.
