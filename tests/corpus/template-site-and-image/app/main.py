print('bookings')
