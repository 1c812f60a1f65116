# Cửa soát vé: kết quả của một lượt quét (tiêu đề của kết quả và thông báo đi kèm), do tình nguyện
# viên đọc trên trang soát vé và trong trường `message` của API. Mã `verdict` đi kèm
# (admitted, too_early…) không bao giờ được dịch.

## Tiêu đề, mỗi kết quả một tiêu đề.

verdict-admitted = Đã cho vào
verdict-already-admitted = Đã vào trước đó
verdict-wrong-screening = Sai suất chiếu
verdict-cancelled = Vé đã bị hủy
verdict-invalid = Mã không hợp lệ
verdict-unknown = Vé không xác định
verdict-too-early = Quá sớm
verdict-too-late = Quá muộn
verdict-annulled = Đã hoàn tác lượt cho vào
verdict-room-full = Phòng đã đầy
verdict-no-reservation = Chưa đặt chỗ
verdict-not-valid-for-screening = Thẻ không có hiệu lực ở đây

## Thông báo bên dưới tiêu đề.

door-welcome = Xin chào, { $name }.
door-incomplete-read = Đọc mã chưa trọn vẹn — hãy quét lại.
# $why là một trong các lý do door-code-… bên dưới.
door-not-a-ticket = Đây không phải vé hợp lệ: { $why }.
door-code-format = không phải mã vé Marquee
door-code-incomplete = đọc mã chưa trọn vẹn
door-code-unknown-key = được ký bằng một khóa mà máy chủ này không nhận biết
door-code-signature = chữ ký không khớp
door-no-such-ticket = Mã là thật, nhưng không có vé này ở đây.
door-screening-cancelled = Suất chiếu đã bị hủy.
door-ticket-cancelled = Vé này đã bị người giữ vé hoặc ban tổ chức hủy.
# $when: ngày và giờ của suất chiếu ("Thứ Sáu, 12 tháng 12, 2025, 20:00").
door-wrong-screening = Vé này dành cho { $film } tại { $venue }, { $when }.
# $time: "19:15", hoặc door-time-on-day khi không phải hôm nay.
door-doors-open-at = Cửa mở lúc { $time }.
door-doors-closed-at = Cửa đã đóng lúc { $time }.
door-time-on-day = { $time }, { $day }
door-room-full = Phòng đã đầy: chỗ của những người giữ vé chưa đến đã được nhường cho hàng chờ tại chỗ.
door-no-reservation = Thẻ này không có chỗ ở suất chiếu này, và lúc này không thể cấp chỗ tại cửa.
door-pass-not-valid = Thẻ này không dùng được cho suất chiếu này (ngày, phim hoặc địa điểm).
door-pass-revoked = Thẻ này đã bị ban tổ chức thu hồi.
door-already-admitted = Đã được cho vào lúc { $time } tại { $door }.
# $answer: quyết định của máy chủ, là một trong các thông báo ở trên.
door-offline-conflict = Xung đột: { $door } đã cho vé này vào khi ngoại tuyến lúc { $time }, nhưng máy chủ báo: { $answer }
door-admission-undone = Đã hoàn tác lượt cho vào: vé có thể được quét lại.
conflict-cancelled = Vé, hoặc suất chiếu của vé, đã bị hủy.
conflict-not-genuine = Mã này không phải vé thật.
conflict-wrong-screening = Vé này dành cho một suất chiếu khác.
conflict-outside-doors = Vé được quét khi cửa đang đóng.
door-scanned-after-another-door = Xung đột: { $door } đã cho vé này vào khi ngoại tuyến lúc { $time }, nhưng { $first_door } đã cho vào trước đó lúc { $first_time } (theo đồng hồ của các thiết bị).
