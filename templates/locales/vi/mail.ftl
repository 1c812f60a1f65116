# Thư gửi đi, viết bằng ngôn ngữ của người nhận: vé, hủy, thay đổi, "tìm vé của tôi",
# danh sách chờ; vé in (PDF) và sự kiện lịch.
# $film là tên phim, $when ngày và giờ của suất chiếu (Thứ Sáu, 12 tháng 12, 2025 và 20:00),
# $zone tên múi giờ (Europe/Paris), $place địa điểm, phòng chiếu và địa chỉ, $name tên một người.

# Mọi thư.
mail-hello = Xin chào { $name },
mail-hello-anonymous = Xin chào,
mail-footer = Thư này được gửi từ hệ thống đặt vé của liên hoan phim (Marquee). Lỡ làm mất thư này? Bạn luôn có thể yêu cầu gửi lại vé tại { $url }
mail-qr-alt = Mã QR của vé: { $ticket }
# Hiển thị cho ban tổ chức trong hộp thư đi thay cho tiêu đề khi vé không được gửi.
mail-not-sent-cancelled = Không gửi: lượt đặt chỗ đã bị hủy trước khi vé được gửi đi
mail-not-sent-no-bookings = Không gửi: địa chỉ này không có lượt đặt chỗ nào hiện hành

# Vé của một lượt đặt chỗ hoặc một lời mời, hoặc của một suất chiếu đã thay đổi.
mail-tickets-subject = Vé của bạn: { $film }, { $when }
mail-tickets-heading = { $film } — vé của bạn
mail-changed-subject = Thay đổi lịch: { $film }, nay chiếu vào { $when }
mail-changed-heading = Suất chiếu { $film } đã thay đổi
mail-changed-intro = Suất chiếu bạn đã đặt có thời gian hoặc địa điểm mới. Vé của bạn vẫn còn hiệu lực.
mail-when-where = Suất chiếu diễn ra vào { $when } ({ $zone }) tại { $place }.
mail-doors-open = Cửa mở lúc { $time }. Mỗi người xuất trình một mã tại cửa, trên điện thoại hoặc bản in: mỗi mã chỉ cho một người vào, và chỉ một lần.
mail-attached = { $count ->
   *[other] Đính kèm { $count } vé: mỗi trang một vé (tickets.pdf) và thông tin suất chiếu để thêm vào lịch của bạn (screening.ics).
}
mail-manage-link = Xem, in hoặc hủy vé của bạn
# Phía trên mỗi mã QR trong thư; $category là Khán giả, Khách mời, Báo chí hoặc Ban giám khảo.
mail-ticket-label = Chỗ { $seat }/{ $seats } · { $category } · { $name }

# Vé in (tickets.pdf), mỗi trang một vé.
mail-pdf-title = { $festival }: { $film }
mail-pdf-when = { $when } ({ $zone })
mail-pdf-doors = Cửa mở lúc { $time }
mail-pdf-seat = Chỗ { $seat }/{ $seats } · { $category }

# Suất chiếu dưới dạng sự kiện lịch (screening.ics).
mail-calendar-summary = { $film } — { $festival }
mail-calendar-description = { $seats ->
   *[other] { $seats } vé đặt dưới tên { $name }. Cửa mở { $minutes } phút trước giờ chiếu. { $url }
}

# Lượt đặt chỗ do người đặt hủy, hoặc suất chiếu do liên hoan phim hủy.
mail-cancelled-subject = Đã hủy: { $film }, { $when }
mail-cancelled-heading = { $film } — đã hủy
mail-screening-cancelled = Chúng tôi rất tiếc: liên hoan phim đã hủy suất chiếu { $film } vào { $when } tại { $place }. Vé của bạn không còn giá trị vào cửa.
mail-booking-cancelled = Theo yêu cầu của bạn, lượt đặt chỗ xem { $film } vào { $when } tại { $place } đã được hủy. Các vé của lượt đặt này không còn giá trị vào cửa, và các chỗ đã được trả lại để người khác có thể đặt.
mail-programme-link = Xem chương trình

# Danh sách chờ: một vị trí trong hàng, rồi chỗ được mời và giữ đến một thời điểm.
mail-waitlist-subject = Đã vào danh sách chờ: { $film }, { $when }
mail-waitlist-heading = { $film } — danh sách chờ
mail-waitlist-joined = { $seats ->
   *[other] Bạn đã có tên trong danh sách chờ của suất chiếu { $film } vào { $when } tại { $place }, cho { $seats } chỗ.
}
mail-waitlist-explained = Khi có chỗ trống, các chỗ sẽ lần lượt được mời theo thứ tự; chúng tôi sẽ gửi email cho bạn và giữ chỗ cho bạn trong một thời gian giới hạn.
mail-waitlist-link = Xem thứ tự của tôi hoặc rời khỏi danh sách
mail-offer-subject = Có chỗ cho bạn: { $film }, { $when }
mail-offer-heading = { $film } — có chỗ cho bạn
mail-offer-freed = Đã có chỗ trống cho suất chiếu { $film } vào { $when } tại { $place }, và bạn là người tiếp theo trong danh sách chờ.
# $time và $day: thời điểm hết hạn giữ chỗ ("20:00", "Thứ Sáu, 12 tháng 12, 2025").
mail-offer-held = { $seats ->
   *[other] Chúng tôi giữ { $seats } chỗ cho bạn đến { $time }, { $day } ({ $zone }). Hãy nhận chỗ qua đường dẫn bên dưới: bạn sẽ có vé ngay. Nếu bạn không nhận trước thời hạn đó, chỗ sẽ được chuyển cho người tiếp theo trong danh sách.
}
mail-offer-claim-link = Nhận chỗ của tôi
mail-offer-closed = Bạn đã được mời nhận chỗ cho suất chiếu { $film } vào { $when }, nhưng lời mời này không còn hiệu lực.
mail-offer-entry-link = Xem lượt đăng ký danh sách chờ của tôi

# "Tìm vé của tôi": mọi lượt đặt chỗ hiện có của một địa chỉ email.
mail-find-subject = Vé của bạn
mail-find-heading = Vé của bạn
mail-find-intro = { $count ->
   *[other] Có người (hy vọng là bạn) đã yêu cầu xem các vé được đặt bằng địa chỉ email này. Có { $count } lượt đặt chỗ. Mỗi đường dẫn bên dưới hiển thị vé để bạn in hoặc hủy.
}
mail-find-booking = { $seats ->
   *[other] { $film }, { $when } tại { $venue } — { $seats } vé
}

# Biểu mẫu mời khách của ban tổ chức: ngôn ngữ dùng để viết thư gửi khách mời.
mail-invitation-lang = Ngôn ngữ của thư gửi khách mời

# Lỗi của API và biểu mẫu về ngôn ngữ.
error-lang = Hãy chọn tiếng Anh, tiếng Pháp hoặc tiếng Việt (en, fr hoặc vi).

mail-seats-cancelled-subject = Đã hủy chỗ: { $film }, { $when }
mail-seats-cancelled-heading = { $film } — đã hủy chỗ
mail-seats-cancelled = Theo yêu cầu của bạn, { $cancelled } chỗ xem { $film } vào { $when } đã được hủy và trả lại cho người khác. { $kept } vé còn lại của bạn vẫn có giá trị vào cửa.

# File names of the attachments (letters, digits and dashes: every mail program shows them whole).
mail-file-tickets = ve
mail-file-screening = suat-chieu
mail-pass-subject = Thẻ của bạn cho { $festival }
mail-pass-heading = Thẻ { $kind } của bạn
mail-pass-intro = Đây là thẻ liên hoan của bạn ({ $category }). Hãy xuất trình mã QR tại cửa, trên điện thoại hoặc bản in: thẻ đeo được đính kèm.
mail-pass-reserve = Hãy đặt chỗ cho mỗi suất chiếu bạn muốn xem trên trang thẻ của bạn.
mail-pass-link = Trang thẻ của bạn: đặt và trả chỗ
mail-pass-label = Thẻ { $kind } ({ $category }) · { $name }
mail-pass-pdf-title = { $festival }: thẻ của { $name }
mail-file-pass = the
mail-not-sent-pass-revoked = Không gửi: thẻ đã bị thu hồi.
mail-not-sent-staff-revoked = Không gửi: quyền truy cập của người này đã bị thu hồi.
mail-staff-invitation-subject = Lời mời tham gia ban tổ chức
mail-staff-invitation-intro = Bạn đã được thêm vào ban tổ chức một liên hoan phim trên Marquee. Hãy mở đường dẫn dưới đây để thiết lập tài khoản (dùng được một lần, trong { $days } ngày).
mail-staff-invitation-link = Thiết lập tài khoản
mail-staff-sign-in-subject = Đường dẫn đăng nhập của bạn
mail-staff-sign-in-intro = Có người yêu cầu đăng nhập Marquee bằng địa chỉ này. Nếu là bạn, hãy mở đường dẫn dưới đây (dùng được một lần, trong { $minutes } phút). Nếu không, hãy bỏ qua thư này.
mail-staff-sign-in-link = Đăng nhập
