package tenant

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"reflect"
	"strconv"

	"github.com/cryptofi/partner-mock/mock/internal/problem"

	"go.yaml.in/yaml/v3"

	"github.com/cryptofi/partner-mock/mock/internal/faults"
)

// A key can carry its own fault profile. api_keys then mixes plain keys and keys with faults:
//
//	api_keys:
//	  - demo-key
//	  - key: demo-key-slow
//	    faults: {latency: 800ms-1500ms}
//	  - key: demo-key-flaky
//	    faults: {error_rate: 0.3}
//
// The keys go to APIKeys, as plain keys do, and the profiles to KeyFaults at the same index, so
// everything that reads APIKeys keeps working and a key is stored in exactly one place.

// fieldDecoder is a struct that decodes some of its fields itself, where the generic decoder
// cannot express the field's forms; decodeField reports whether it did.
type fieldDecoder interface {
	decodeField(d *decoder, name string, n *yaml.Node, path string) bool
}

// keyFaultsText is a key's faults: as the file writes them, before parsing.
type keyFaultsText struct {
	Latency   string `yaml:"latency"`
	ErrorRate string `yaml:"error_rate"`
	RateLimit string `yaml:"rate_limit"`
	Status    int    `yaml:"status"`
}

// keyItemHelp shows the two forms of an api_keys item, for messages.
const keyItemHelp = `write a plain key ("- my-key") or a key with faults ("- key: my-key" and, under it, "faults: {latency: 250ms}")`

func (t *TenantConfig) decodeField(d *decoder, name string, n *yaml.Node, path string) bool {
	if name != "api_keys" {
		return false
	}
	t.APIKeys, t.KeyFaults = d.apiKeys(n, path)
	return true
}

// apiKeys decodes an api_keys list. Nothing a file puts in a key's place is ever repeated in a
// message: it may be a key.
func (d *decoder) apiKeys(n *yaml.Node, path string) ([]string, []faults.Profile) {
	n = resolveAlias(n)
	d.lines[path] = n.Line
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		d.add(n, path, "want a list (one \"- item\" per line, or [a, b]), got %s", d.describeAt(n, path))
		return nil, nil
	}
	keys := make([]string, len(n.Content))
	profiles := make([]faults.Profile, len(n.Content))
	hasProfile := false
	for i, item := range n.Content {
		at := path + "[" + strconv.Itoa(i) + "]"
		item = resolveAlias(item)
		d.lines[at] = item.Line
		switch {
		case item.Kind == yaml.ScalarNode && item.ShortTag() == "!!null":
			// Left empty; Validate says so.
		case item.Kind == yaml.ScalarNode:
			keys[i] = item.Value
		case item.Kind == yaml.MappingNode:
			keys[i], profiles[i] = d.keyWithFaults(item, at)
			hasProfile = hasProfile || profiles[i].Active()
		default:
			d.add(item, at, "want a key, got a list; %s", keyItemHelp)
		}
	}
	if !hasProfile {
		profiles = nil
	}
	return keys, profiles
}

// keyWithFaults decodes an api_keys item written as key: and faults:. Problems with the key
// are reported at the item's path, where Validate reports a key's own problems, so that one
// mistake gives one message.
func (d *decoder) keyWithFaults(n *yaml.Node, at string) (string, faults.Profile) {
	var key string
	var p faults.Profile
	seen := map[string]int{}
	unknown := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Value != "key" && k.Value != "faults" {
			// The name is not repeated: "- my-key: ..." is a likely slip, and it holds a key.
			d.add(k, at, "unknown field; the fields of a key with faults are key and faults; %s", keyItemHelp)
			unknown = true
			continue
		}
		field := at + "." + k.Value
		if first, dup := seen[k.Value]; dup {
			d.add(k, field, "given twice (first on line %d); keep one", first)
			continue
		}
		seen[k.Value] = k.Line
		if k.Value == "faults" {
			p = d.keyFaults(val, field)
			continue
		}
		val = resolveAlias(val)
		d.lines[field] = val.Line
		switch {
		case val.Kind == yaml.ScalarNode && val.ShortTag() == "!!null":
			// Left empty; Validate says so.
		case val.Kind == yaml.ScalarNode:
			key = val.Value
		default:
			d.add(val, at, "key: want the key as a single value, got %s", d.describe(val))
		}
	}
	if _, ok := seen["key"]; !ok && !unknown {
		d.add(n, at, "required: key:, the key itself, e.g. key: my-key")
	}
	return key, p
}

// keyFaults decodes and parses a key's faults: mapping.
func (d *decoder) keyFaults(n *yaml.Node, path string) faults.Profile {
	n = resolveAlias(n)
	if n.Kind == yaml.MappingNode && len(n.Content) == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		d.add(n, path, "empty: give at least one of latency, error_rate, rate_limit, status, or drop faults")
		return faults.Profile{}
	}
	var text keyFaultsText
	before := len(d.problems)
	d.value(n, path, refValue(&text))
	if len(d.problems) > before {
		return faults.Profile{}
	}
	var p faults.Profile
	var err error
	bad := func(field, value string, err error) {
		at := path + "." + field
		d.problems = append(d.problems, problem.Problem{Line: lineOf(d.lines, at), Path: at, Msg: fmt.Sprintf("%q: %v", value, err)})
	}
	if p.Latency, err = faults.ParseLatencyValue(text.Latency); err != nil {
		bad("latency", text.Latency, err)
	}
	if p.ErrorRate, err = faults.ParseErrorRateValue(text.ErrorRate); err != nil {
		bad("error_rate", text.ErrorRate, err)
	}
	if p.RateLimit, err = faults.ParseRateValue(text.RateLimit); err != nil {
		bad("rate_limit", text.RateLimit, err)
	}
	if _, given := d.lines[path+".status"]; given {
		if err := faults.CheckStatus(text.Status); err != nil {
			at := path + ".status"
			d.problems = append(d.problems, problem.Problem{Line: lineOf(d.lines, at), Path: at, Msg: err.Error()})
		} else {
			p.Status = text.Status
		}
	}
	return p
}

// keyFaultProblems checks the keys' profiles of the tenant at path at (tenants[i]): what
// decoding cannot catch, such as settings that cannot work together, and anything a Config
// built in code gets wrong.
func (t *TenantConfig) keyFaultProblems(at string, line func(string) int) []problem.Problem {
	var out []problem.Problem
	if len(t.KeyFaults) > len(t.APIKeys) {
		path := at + ".api_keys"
		out = append(out, problem.Problem{Line: line(path), Path: path,
			Msg: fmt.Sprintf("%d fault profiles for %d keys; KeyFaults is indexed like APIKeys", len(t.KeyFaults), len(t.APIKeys))})
	}
	for j, p := range t.KeyFaults {
		for _, pp := range p.Problems() {
			path := fmt.Sprintf("%s.api_keys[%d].faults", at, j)
			if pp.Field != "" {
				path += "." + pp.Field
			}
			out = append(out, problem.Problem{Line: line(path), Path: path, Msg: pp.Msg})
		}
	}
	return out
}

// KeyProfile returns the fault profile of the j-th key in APIKeys; the zero Profile when it
// has none.
func (t *TenantConfig) KeyProfile(j int) faults.Profile {
	if j < 0 || j >= len(t.KeyFaults) {
		return faults.Profile{}
	}
	return t.KeyFaults[j]
}

// Key is a registered API key as the mock knows it once resolved: its tenant and its faults,
// never the key itself.
type Key struct {
	// Tenant is the FI the key resolves to.
	Tenant *Tenant
	// Index numbers the key in its registry, in config order (tenant by tenant, then key by
	// key), from 0: callers keep per-key state in a slice indexed by it.
	Index int
	// Position is the key's index in its tenant's api_keys.
	Position int
	// Faults is the key's own fault profile; the zero value injects nothing.
	Faults faults.Profile
}

// Label names the key in logs and seeds without revealing it: the tenant's name and the key's
// position in its api_keys, such as "demo-credit-union/api_keys[2]".
func (k Key) Label() string {
	return k.Tenant.Config.Name + "/api_keys[" + strconv.Itoa(k.Position) + "]"
}

// LookupKey resolves key to its registry entry, the way Lookup does: constant-time, against
// every entry, without stopping early.
func (r *Registry) LookupKey(key string) (Key, bool) {
	d := sha256.Sum256([]byte(key))
	found := -1
	for i := range r.entries {
		// subtle.ConstantTimeSelect keeps the choice free of branches on the comparison.
		found = subtle.ConstantTimeSelect(subtle.ConstantTimeCompare(d[:], r.entries[i].digest[:]), i, found)
	}
	if found < 0 {
		return Key{}, false
	}
	return r.key(found), true
}

// Keys returns every registered key's entry, in Index order.
func (r *Registry) Keys() []Key {
	out := make([]Key, len(r.entries))
	for i := range r.entries {
		out[i] = r.key(i)
	}
	return out
}

// HasKeyFaults reports whether any key has a fault profile.
func (r *Registry) HasKeyFaults() bool {
	for i := range r.entries {
		if r.key(i).Faults.Active() {
			return true
		}
	}
	return false
}

func (r *Registry) key(i int) Key {
	e := &r.entries[i]
	return Key{Tenant: e.tenant, Index: i, Position: e.pos, Faults: e.tenant.Config.KeyProfile(e.pos)}
}

// resolveAlias follows YAML aliases (*name) to the node they stand for.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// refValue is the addressable value p points to, for decoder.value.
func refValue(p any) reflect.Value {
	return reflect.ValueOf(p).Elem()
}
