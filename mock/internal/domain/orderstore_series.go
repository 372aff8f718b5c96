package domain

// SeriesOf returns the series of the order at p (Order.Series), without decoding the rest of
// it: changes that look for a series' orders read every order's.
func (s *OrderStore) SeriesOf(p int32) int32 {
	if o, ok := s.wholeAt(p); ok {
		return o.Series
	}
	return s.series(p)
}
