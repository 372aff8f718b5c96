package app

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
)

// DumpFormats are the formats Dump writes.
var DumpFormats = []string{"json", "ndjson", "csv"}

// Dump writes every record of one resource of the tenant called name that exists at the mock's
// time, in that state, in the default list's ascending order (the time key, ties by id), to w:
//
//   - json: {"<resource>":[...]} with one item per line. Each item is the API's object, byte
//     for byte; users get "created_at" as their last key, so a users dump is also a valid
//     pinned-users file, and an orders dump a valid pinned-orders file for those users.
//   - ndjson: the same objects, one per line.
//   - csv: a header and one row per object (per account, for users), from the objects' fields.
//
// The tenant's records do not change while it writes: admin changes wait for it.
func (a *App) Dump(w io.Writer, name, resourceName, format string) error {
	t, ok := a.tenantNamed(name)
	if !ok {
		return fmt.Errorf("no tenant called %q", name)
	}
	i := slices.IndexFunc(a.resources, func(b *resource.Bound) bool { return b.Name() == resourceName })
	if i < 0 {
		return fmt.Errorf("--resource %q: want one of %s", resourceName, strings.Join(a.ResourceNames(), ", "))
	}
	var err error
	t.Hold(func(world *domain.World) {
		err = a.dump(w, world, t.Collections[i].Now(), t.AsOf(), resourceName, format)
	})
	return err
}

// dump writes the records of snapshot c of resource b over world.
func (a *App) dump(w io.Writer, world *domain.World, c resource.Snapshot, asOf int64, resourceName, format string) error {
	b := a.resources[slices.Index(a.ResourceNames(), resourceName)]
	at := a.clock.Now(asOf)
	_, order := c.Find(&query.Query{At: at, Limit: c.View().Source().Len()}, nil)
	d, dumper := b.Resource.(resource.Dumper)
	item := func(buf []byte, p int32) []byte { return c.AppendItem(buf, p, at) }
	if dumper {
		item = func(buf []byte, p int32) []byte { return d.AppendDumpItem(buf, world, p, at) }
	}
	switch format {
	case "json", "ndjson":
		return writeJSONDump(w, format == "json", resourceName, order, item)
	case "csv":
		if !dumper {
			return fmt.Errorf("--format csv: %s has no CSV form; use json or ndjson", resourceName)
		}
		return writeCSVDump(w, d, world, order, at)
	}
	return fmt.Errorf("unknown format %q", format)
}

// ResourceNames returns the names of the resources the mock serves, in order.
func (a *App) ResourceNames() []string {
	var names []string
	for _, b := range a.resources {
		names = append(names, b.Name())
	}
	return names
}

func writeJSONDump(w io.Writer, wrap bool, name string, positions []int32, item func([]byte, int32) []byte) error {
	buf := make([]byte, 0, 1024)
	if wrap {
		buf = append(buf, `{"`+name+`":[`...)
		if len(positions) > 0 {
			buf = append(buf, '\n')
		}
	}
	for i, p := range positions {
		buf = item(buf, p)
		if wrap && i < len(positions)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
		if len(buf) > 512<<10 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if wrap {
		buf = append(buf, "]}\n"...)
	}
	_, err := w.Write(buf)
	return err
}

func writeCSVDump(w io.Writer, d resource.Dumper, world *domain.World, positions []int32, at int64) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(d.CSVHeader()); err != nil {
		return err
	}
	for _, p := range positions {
		if err := d.CSVRows(world, p, at, cw.Write); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
