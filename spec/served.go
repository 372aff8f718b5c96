package spec

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// servedDocument is the document as GET /openapi.json serves it, split around the one value
// that changes per request: the server URL. head ends just before the URL's JSON string and tail
// starts just after it, so serving costs two copies and one string encoding.
type servedDocument struct {
	head, tail []byte
}

// newServedDocument prepares data for serving: compact JSON, members in the document's own
// order (FastAPI's, for the embedded one), and servers replaced by one entry whose URL is filled
// in per request. A YAML document is served as kin-openapi's JSON rendering of it.
func newServedDocument(data []byte, doc *openapi3.T) (servedDocument, error) {
	src := bytes.TrimSpace(data)
	if len(src) == 0 || src[0] != '{' {
		var err error
		if src, err = json.Marshal(doc); err != nil {
			return servedDocument{}, fmt.Errorf("rendering the document as JSON: %w", err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return servedDocument{}, fmt.Errorf("document is not a JSON object: %w", err)
	}
	var out bytes.Buffer
	out.WriteByte('{')
	var sd servedDocument
	member := func(key string) {
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		out.Write(k)
		out.WriteByte(':')
	}
	placeServers := func() {
		member("servers")
		out.WriteString(`[{"url":`)
		sd.head = bytes.Clone(out.Bytes())
		out.Reset()
		out.WriteString(`}]`)
	}
	placed := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return servedDocument{}, fmt.Errorf("reading the document's members: %w", err)
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return servedDocument{}, fmt.Errorf("reading the document's %q: %w", key, err)
		}
		if key == "servers" {
			placeServers()
			placed = true
			continue
		}
		member(key)
		if err := json.Compact(&out, raw); err != nil {
			return servedDocument{}, fmt.Errorf("compacting the document's %q: %w", key, err)
		}
	}
	if !placed {
		placeServers()
	}
	out.WriteByte('}')
	sd.tail = out.Bytes()
	return sd, nil
}

// DocumentFor returns the document as JSON with servers set to the single URL serverURL
// (scheme://host plus the base path of the mock the client reached), so a client generated from
// it talks to that mock.
func (s *Spec) DocumentFor(serverURL string) []byte {
	sd := s.served
	if sd.head == nil {
		// A Spec built by hand rather than by Load: prepare the document now.
		var err error
		if sd, err = newServedDocument(s.Raw, s.Doc); err != nil {
			return nil
		}
	}
	u, _ := json.Marshal(serverURL)
	b := make([]byte, 0, len(sd.head)+len(u)+len(sd.tail))
	b = append(b, sd.head...)
	b = append(b, u...)
	return append(b, sd.tail...)
}
