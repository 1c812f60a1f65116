# Thẻ liên hoan: lỗi và từ ngữ của API và các trang về thẻ.

thing-pass-type = loại thẻ
thing-pass = thẻ
thing-reservation = lượt đặt chỗ
error-pass-category = Hãy chọn một hạng: audience, press, industry, jury, guest hoặc volunteer.
error-pass-days = Ngày hiệu lực cuối không thể trước ngày đầu.
error-too-many = { $label } có quá nhiều mục: tối đa { $max }.
error-pass-unknown-film = Một trong các phim này không tồn tại.
error-pass-unknown-venue = Một trong các địa điểm này không tồn tại.
error-pass-type-unknown = Liên hoan này không có loại thẻ đó.
error-pass-exists = Địa chỉ này đã có một thẻ loại này.
error-pass-token = Hãy gửi mã riêng của thẻ (Authorization: Bearer) hoặc đăng nhập với tư cách ban tổ chức.
error-pass-revoked = Thẻ này đã bị thu hồi.
error-pass-not-valid = Thẻ này không có hiệu lực cho suất chiếu này.
error-pass-already-reserved = Thẻ này đã có chỗ ở suất chiếu này.
error-pass-quota = Thẻ này đã đạt giới hạn đặt chỗ.
error-pass-overlaps = Thẻ này đã có chỗ ở một suất chiếu cùng giờ.
error-pass-no-shows = Sau { $count } suất chiếu vắng mặt, thẻ này có thể đặt chỗ lại từ { $until }.
error-pass-seat-used = Chỗ này đã được dùng: không thể trả lại.
