package spec

// QueryParams returns the query parameters of the GET operation at path (relative to the base
// path, "/orders/"), in document order, and whether the document has that operation. It reads
// them as ListParams are read.
func (s *Spec) QueryParams(path string) ([]Param, bool) {
	op := operation(s.Doc, path)
	if op == nil {
		return nil, false
	}
	params, _ := readParams(op)
	return params, true
}
