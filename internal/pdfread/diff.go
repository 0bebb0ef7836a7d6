package pdfread

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
)

// pixelTolerance is how far (0–255) a grey pixel may move before it counts
// as different: anti-aliasing varies slightly between poppler builds.
const pixelTolerance = 64

// Diff is how two page images differ.
type Diff struct {
	Pixels int     // pixels that differ by more than the tolerance
	Share  float64 // Pixels as a share of the page
	Box    image.Rectangle
}

// Compare counts the pixels of got that differ from want by more than the
// tolerance, and the box that holds them. Images of different sizes are a
// difference in themselves and give an error.
func Compare(got, want image.Image) (Diff, error) {
	b := got.Bounds()
	if b.Size() != want.Bounds().Size() {
		return Diff{}, fmt.Errorf("page size %v, golden %v", b.Size(), want.Bounds().Size())
	}
	var d Diff
	wb := want.Bounds()
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			g := grey(got.At(b.Min.X+x, b.Min.Y+y))
			w := grey(want.At(wb.Min.X+x, wb.Min.Y+y))
			if g-w > pixelTolerance || w-g > pixelTolerance {
				d.Pixels++
				d.Box = d.Box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	d.Share = float64(d.Pixels) / float64(b.Dx()*b.Dy())
	return d, nil
}

func grey(c color.Color) int { return int(color.GrayModel.Convert(c).(color.Gray).Y) }

// ReadPNG reads a golden image.
func ReadPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// WritePNG writes a golden image (when goldens are being renewed) in 16
// grey levels, a third of the size of 256: the error this brings (at most
// 8) is well inside the comparison's tolerance.
func WritePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, grey16(img)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// grey16 maps an image onto a palette of 16 evenly spaced greys.
func grey16(img image.Image) *image.Paletted {
	pal := make(color.Palette, 16)
	for i := range pal {
		pal[i] = color.Gray{Y: uint8(i * 17)}
	}
	b := img.Bounds()
	out := image.NewPaletted(b, pal)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.SetColorIndex(x, y, uint8((grey(img.At(x, y))+8)/17))
		}
	}
	return out
}
