package tenant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// CheckJSON reports whether data is one JSON value, as a *problem.List of one problem naming
// the line and column of the first syntax error. The admin API answers such a body with 400,
// and any other problem with 422.
func CheckJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	err := dec.Decode(&v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = fmt.Errorf("more than one JSON value: send one object")
		}
	}
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) {
		return &problem.List{Items: []problem.Problem{{Msg: "the body is empty: send a JSON object"}}}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	offset := dec.InputOffset()
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		offset = se.Offset
	} else if errors.Is(err, io.ErrUnexpectedEOF) {
		msg, offset = "the JSON ends too soon", int64(len(data))
	}
	line, col := lineCol(data, offset)
	return &problem.List{Items: []problem.Problem{{Msg: fmt.Sprintf("not valid JSON at line %d, column %d: %s", line, col, msg)}}}
}

// lineCol returns the 1-based line and column of byte offset in data.
func lineCol(data []byte, offset int64) (int, int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	return line, int(offset) - bytes.LastIndexByte(before, '\n')
}

// decodeJSON decodes one JSON value into out, a pointer to a struct, as strictly as decodeFile
// decodes a file and with JSON's types: a field that takes text takes a JSON string only, not a
// number or a boolean. Problems name the field's path; data must be valid JSON (CheckJSON).
func decodeJSON(data []byte, out any) (map[string]int, []problem.Problem) {
	d := &decoder{lines: map[string]int{}, json: true}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	root, err := jsonNode(dec, data)
	if err != nil {
		return d.lines, []problem.Problem{{Msg: "not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}}
	}
	d.value(root, "", reflect.ValueOf(out).Elem())
	return d.lines, d.problems
}

// jsonNode reads the next JSON value of dec as a YAML node, so decoder.value can decode it: a
// string is a !!str scalar, a number an !!int or !!float one, and so on. Lines come from the
// offsets in data.
func jsonNode(dec *json.Decoder, data []byte) (*yaml.Node, error) {
	line, _ := lineCol(data, dec.InputOffset())
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	n := &yaml.Node{Line: line}
	switch v := tok.(type) {
	case json.Delim:
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
		if v == '[' {
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		}
		for dec.More() {
			if n.Kind == yaml.MappingNode {
				kl, _ := lineCol(data, dec.InputOffset())
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.(string), Line: kl})
			}
			child, err := jsonNode(dec, data)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, child)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		n.Kind, n.Tag, n.Value, n.Style = yaml.ScalarNode, "!!str", v, yaml.DoubleQuotedStyle
	case json.Number:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!float", v.String()
		if _, err := v.Int64(); err == nil || isDigits(strings.TrimPrefix(v.String(), "-")) {
			n.Tag = "!!int"
		}
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", fmt.Sprint(v)
	case nil:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	}
	return n, nil
}

// DecodeJSON decodes a JSON object into out, a pointer to a struct whose fields have yaml tags,
// as strictly as the config and pinned files are decoded: unknown fields, fields given twice and
// wrong types are problems naming the field's path. The error is a *problem.List; a body that is
// not JSON at all is CheckJSON's error.
func DecodeJSON(data []byte, out any) error {
	if err := CheckJSON(data); err != nil {
		return err
	}
	_, problems := decodeJSON(data, out)
	if len(problems) > 0 {
		return bodyError(problems)
	}
	return nil
}
