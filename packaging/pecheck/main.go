// Command pecheck checks a Windows executable of a release, for make
// dist-check: a 64-bit (PE32+) program of the expected subsystem and, for the
// desktop app, with an icon and version information naming the release.
//
//	go run ./packaging/pecheck [-console] FILE VERSION
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"unicode/utf16"
)

const (
	subsystemGUI     = 2
	subsystemConsole = 3
	rtGroupIcon      = 14
	rtVersion        = 16
)

func main() {
	console := flag.Bool("console", false, "expect a console program without resources")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: pecheck [-console] FILE VERSION")
		os.Exit(2)
	}
	if err := check(flag.Arg(0), flag.Arg(1), *console); err != nil {
		fmt.Fprintf(os.Stderr, "pecheck %s: %v\n", flag.Arg(0), err)
		os.Exit(1)
	}
}

func check(path, version string, console bool) error {
	f, err := pe.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		return errors.New("not a PE32+ (64-bit) executable")
	}
	if console {
		return expect("subsystem", int(oh.Subsystem), subsystemConsole)
	}
	if err := expect("subsystem", int(oh.Subsystem), subsystemGUI); err != nil {
		return err
	}
	return checkResources(f, version)
}

func expect(what string, got, want int) error {
	if got != want {
		return fmt.Errorf("%s is %d, want %d", what, got, want)
	}
	return nil
}

// checkResources finds the icon group and the version information in the
// resource tree (type → name → language → data) of the .rsrc section.
func checkResources(f *pe.File, version string) error {
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		return errors.New("no resources (.rsrc section)")
	}
	data, err := rsrc.Data()
	if err != nil {
		return err
	}
	tree := resTree{data: data, base: rsrc.VirtualAddress}
	if _, err := tree.first(rtGroupIcon); err != nil {
		return fmt.Errorf("icon: %w", err)
	}
	info, err := tree.first(rtVersion)
	if err != nil {
		return fmt.Errorf("version information: %w", err)
	}
	if !bytes.Contains(info, utf16le(version)) {
		return fmt.Errorf("version information does not name %q", version)
	}
	return nil
}

type resTree struct {
	data []byte
	base uint32 // the section's virtual address, for data entries' RVAs
}

// first returns the data of the first resource of a type.
func (t resTree) first(typ uint32) ([]byte, error) {
	off, err := t.entry(0, typ, true)
	for level := 0; err == nil && level < 2; level++ {
		off, err = t.entry(off, 0, false) // first name, then first language
	}
	if err != nil {
		return nil, err
	}
	rva, size := t.u32(off), t.u32(off+4)
	start := int(rva - t.base)
	if start < 0 || start+int(size) > len(t.data) {
		return nil, errors.New("resource data outside the section")
	}
	return t.data[start : start+int(size)], nil
}

// entry reads a directory at off and returns the offset its matching entry
// points to (the entry with that id, or the first entry when !byID).
func (t resTree) entry(off int, id uint32, byID bool) (int, error) {
	if off+16 > len(t.data) {
		return 0, errors.New("truncated resource directory")
	}
	n := int(binary.LittleEndian.Uint16(t.data[off+12:])) + int(binary.LittleEndian.Uint16(t.data[off+14:]))
	for i := 0; i < n; i++ {
		e := off + 16 + 8*i
		if e+8 > len(t.data) {
			break
		}
		if !byID || t.u32(e) == id {
			return int(t.u32(e+4) &^ (1 << 31)), nil
		}
	}
	return 0, errors.New("missing")
}

func (t resTree) u32(off int) uint32 { return binary.LittleEndian.Uint32(t.data[off:]) }

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}
