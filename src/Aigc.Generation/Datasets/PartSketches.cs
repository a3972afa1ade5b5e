namespace Aigc.Generation.Datasets;

internal sealed class SpurGearSketch : PartSketch
{
    protected override void Front()
    {
        var teeth = Level switch { 0 => Integer(10, 14), 1 => Integer(14, 20), _ => Integer(18, 26) };
        var tip = Uniform(33, 38);
        var root = tip - Uniform(4.5, 6.5);
        var phase = Uniform(0, 2 * Math.PI);
        var points = new List<(double, double)>();
        for (var i = 0; i < teeth; i++)
        {
            var a = phase + 2 * Math.PI * i / teeth;
            var pitch = 2 * Math.PI / teeth;
            points.Add(Polar(root, a));
            points.Add(Polar(tip, a + pitch * 0.15));
            points.Add(Polar(tip, a + pitch * 0.4));
            points.Add(Polar(root, a + pitch * 0.55));
        }

        D.Polygon(points);
        Bore(Uniform(6, 9));
        if (Level >= 1)
            D.Circle(Cx, Cy, (tip + root) / 2, SvgDrawing.Thin, dashed: true);
        if (Level == 2)
        {
            var hub = Uniform(12, 14);
            D.Circle(Cx, Cy, hub, SvgDrawing.Thin);
            HoleCircle(Integer(4, 6), (hub + root) / 2, Uniform(3, 4), phase);
        }

        FrontCentreLines(tip + 4);
    }

    protected override void Side(bool section)
    {
        var tip = Uniform(26, 30);
        var face = Uniform(26, 40);
        var steps = new List<(double, double)> { (face, tip) };
        if (Level >= 1 && Chance(0.6))
            steps.Add((Uniform(8, 14), Uniform(11, 14)));
        new RevolvedProfile(steps, Uniform(5, 8), Level >= 1 ? 1.5 : 0).Draw(D, Cx, Cy, section, Level);
        // Root and pitch lines of the teeth: what tells a gear's side view from a plain disc.
        var x0 = Cx - steps.Sum(s => s.Item1) / 2;
        foreach (var r in new[] { tip - 5, tip - 2.5 })
        {
            D.Line(x0, Cy - r, x0 + face, Cy - r, dashed: r > tip - 3);
            D.Line(x0, Cy + r, x0 + face, Cy + r, dashed: r > tip - 3);
        }
    }
}

internal sealed class FlangeSketch : PartSketch
{
    protected override void Front()
    {
        var outer = Uniform(33, 38);
        var hub = Uniform(13, 17);
        D.Circle(Cx, Cy, outer);
        D.Circle(Cx, Cy, hub, Level >= 1 ? SvgDrawing.Thick : SvgDrawing.Thin);
        var holes = Level switch { 0 => 4, 1 => Chance(0.5) ? 4 : 6, _ => Integer(6, 8) };
        HoleCircle(holes, (outer + hub) / 2 + 1, Uniform(3, 4.2), Uniform(0, Math.PI));
        Bore(Uniform(7, 10));
        FrontCentreLines(outer + 4);
    }

    protected override void Side(bool section)
    {
        var outer = Uniform(26, 30);
        var hub = Uniform(11, 15);
        var plate = Uniform(7, 11);
        var hubLength = Uniform(16, 26);
        new RevolvedProfile([(plate, outer), (hubLength, hub)], Uniform(6, 8), Level >= 1 ? 1.5 : 0).Draw(D, Cx, Cy, section, Level);
        var x0 = Cx - (plate + hubLength) / 2;
        var pitch = (outer + hub) / 2 + 1;
        foreach (var y in new[] { Cy - pitch, Cy + pitch })
        {
            // Bolt holes cut in the section, hidden in the side view.
            D.Line(x0, y - 2.5, x0 + plate, y - 2.5, section ? SvgDrawing.Thick : SvgDrawing.Thin, dashed: !section);
            D.Line(x0, y + 2.5, x0 + plate, y + 2.5, section ? SvgDrawing.Thick : SvgDrawing.Thin, dashed: !section);
        }
    }
}

internal sealed class BracketSketch : PartSketch
{
    protected override void Front() => Profile(section: false);

    /// <summary>The side view shows the upright leg's face and its holes; the section is the L profile hatched.</summary>
    protected override void Side(bool section)
    {
        if (section)
        {
            Profile(section: true);
            return;
        }

        var w = Uniform(46, 64);
        var h = Uniform(50, 66);
        var x = Cx - w / 2;
        var y = Cy - h / 2;
        D.Rect(x, y, w, h, corner: Level >= 1 ? 4 : 0);
        var t = Uniform(6, 9);
        D.Line(x, y + h - t, x + w, y + h - t);
        var holes = Level == 0 ? 1 : 2;
        for (var i = 0; i < holes; i++)
        {
            var hx = holes == 1 ? Cx : x + w * (i == 0 ? 0.28 : 0.72);
            D.Circle(hx, y + h * 0.38, Uniform(3.5, 5));
            if (Level >= 1)
                D.CentreCross(hx, y + h * 0.38, 7);
        }

        if (Level == 2)
            D.DimensionHorizontal(x, x + w, y + h + 6);
    }

    private void Profile(bool section)
    {
        var w = Uniform(52, 70);
        var h = Uniform(52, 70);
        var t = Uniform(7, 11);
        var x0 = Cx - w / 2;
        var y0 = Cy - h / 2;
        var fillet = Level >= 1 ? Uniform(3, 6) : 0;
        var outline = new List<(double X, double Y)>
        {
            (x0, y0), (x0 + t, y0), (x0 + t, y0 + h - t - fillet), (x0 + t + fillet, y0 + h - t), (x0 + w, y0 + h - t),
            (x0 + w, y0 + h), (x0, y0 + h),
        };
        if (section)
            D.Hatch(SvgDrawing.PolygonPath(outline), Level == 2 ? 3.2 : 4.2);
        D.Polygon(outline);
        if (Level == 2)
        {
            // Stiffening gusset.
            var g = Math.Min(w, h) * 0.45;
            D.Polygon([(x0 + t, y0 + h - t - g), (x0 + t + g, y0 + h - t), (x0 + t, y0 + h - t)], SvgDrawing.Thin * 1.4);
        }

        // Holes through each leg as hidden lines.
        var hx = x0 + t + (w - t) * Uniform(0.45, 0.65);
        D.Line(hx - 3, y0 + h - t, hx - 3, y0 + h, dashed: true);
        D.Line(hx + 3, y0 + h - t, hx + 3, y0 + h, dashed: true);
        var hy = y0 + (h - t) * Uniform(0.3, 0.5);
        D.Line(x0, hy - 3, x0 + t, hy - 3, dashed: true);
        D.Line(x0, hy + 3, x0 + t, hy + 3, dashed: true);
        if (Level >= 1)
        {
            D.Line(hx, y0 + h - t - 4, hx, y0 + h + 4, dashed: true);
            D.Line(x0 - 4, hy, x0 + t + 4, hy, dashed: true);
        }

        if (Level == 2)
            D.DimensionVertical(y0, y0 + h, x0 + w + 5);
    }
}

internal sealed class SteppedShaftSketch : PartSketch
{
    protected override void Front()
    {
        var radii = new List<double> { Uniform(28, 34) };
        var count = Level switch { 0 => 2, 1 => 3, _ => Integer(3, 4) };
        while (radii.Count < count)
            radii.Add(radii[^1] * Uniform(0.62, 0.8));
        foreach (var r in radii)
            D.Circle(Cx, Cy, r, r == radii[0] ? SvgDrawing.Thick : SvgDrawing.Thick * 0.8);
        if (Level >= 1)
            D.Circle(Cx, Cy, radii[^1] - 1.8, SvgDrawing.Thin);
        if (Level >= 1)
        {
            // Keyway on the largest step, seen end-on.
            var r = radii[0];
            D.Rect(Cx - 4, Cy - r - 0.5, 8, 5, SvgDrawing.Thick * 0.8);
        }

        FrontCentreLines(radii[0] + 5);
    }

    protected override void Side(bool section)
    {
        var count = Level switch { 0 => 3, 1 => 4, _ => 5 };
        var total = Uniform(70, 82);
        var weights = Enumerable.Range(0, count).Select(_ => Uniform(0.6, 1.4)).ToArray();
        var radii = new double[count];
        var peak = Integer(1, count - 2);
        radii[peak] = Uniform(13, 16);
        for (var i = peak - 1; i >= 0; i--)
            radii[i] = radii[i + 1] * Uniform(0.7, 0.88);
        for (var i = peak + 1; i < count; i++)
            radii[i] = radii[i - 1] * Uniform(0.7, 0.88);
        var steps = weights.Select((w, i) => (total * w / weights.Sum(), radii[i])).ToList();
        new RevolvedProfile(steps, 0, Level >= 1 ? 1.2 : 0).Draw(D, Cx, Cy, section, Level);
        if (Level >= 1)
        {
            // Keyway slot on the largest step.
            var x = Cx - total / 2 + steps.Take(peak).Sum(s => s.Item1);
            var len = steps[peak].Item1;
            D.Rect(x + len * 0.2, Cy - 2.2, len * 0.6, 4.4, SvgDrawing.Thin * 1.4, corner: 2.2);
        }
    }
}

internal sealed class BallBearingSketch : PartSketch
{
    protected override void Front()
    {
        var outer = Uniform(33, 38);
        var bore = outer * Uniform(0.38, 0.48);
        var pitch = (outer + bore) / 2;
        var ball = (outer - bore) * Uniform(0.16, 0.2);
        D.Circle(Cx, Cy, outer);
        D.Circle(Cx, Cy, pitch + ball * 0.75, SvgDrawing.Thin * 1.4);
        D.Circle(Cx, Cy, pitch - ball * 0.75, SvgDrawing.Thin * 1.4);
        D.Circle(Cx, Cy, bore);
        var balls = Level switch { 0 => Integer(7, 9), 1 => Integer(9, 11), _ => Integer(11, 14) };
        var phase = Uniform(0, Math.PI);
        for (var i = 0; i < balls; i++)
        {
            var (x, y) = Polar(pitch, phase + 2 * Math.PI * i / balls);
            D.Circle(x, y, ball, SvgDrawing.Thick * 0.8);
        }

        if (Level == 2)
            D.Circle(Cx, Cy, bore + 2, SvgDrawing.Thin);
        FrontCentreLines(outer + 4);
    }

    protected override void Side(bool section)
    {
        var outer = Uniform(30, 34);
        var bore = outer * Uniform(0.3, 0.38);
        var width = Uniform(26, 36);
        var pitch = (outer + bore) / 2;
        var ball = (outer - bore) * Uniform(0.26, 0.32);
        var x0 = Cx - width / 2;
        if (!section)
        {
            new RevolvedProfile([(width, outer)], bore, Level >= 1 ? 1.5 : 0).Draw(D, Cx, Cy, false, Level);
            foreach (var s in new[] { -1, 1 })
                D.Line(x0, Cy + s * pitch, x0 + width, Cy + s * pitch, SvgDrawing.Thin);
            return;
        }

        foreach (var s in new[] { -1, 1 })
        {
            var bx = Cx;
            var by = Cy + s * pitch;
            var outerRing = SvgDrawing.RectPath(x0, Math.Min(Cy + s * outer, by), width, Math.Abs(outer - pitch)) + " " + SvgDrawing.CirclePath(bx, by, ball);
            var innerRing = SvgDrawing.RectPath(x0, Math.Min(by, Cy + s * bore), width, Math.Abs(pitch - bore)) + " " + SvgDrawing.CirclePath(bx, by, ball);
            D.Hatch(outerRing, 3.6, 45);
            D.Hatch(innerRing, 3.6, 135);
            D.Rect(x0, Math.Min(Cy + s * outer, Cy + s * bore), width, outer - bore);
            D.Line(x0, by, x0 + width, by, SvgDrawing.Thin);
            D.Circle(bx, by, ball);
        }

        SideAxis(x0, width, outer);
    }
}

internal sealed class HexNutSketch : PartSketch
{
    protected override void Front()
    {
        var corner = Uniform(32, 38);
        var phase = Chance(0.5) ? 0 : Math.PI / 6;
        D.Polygon(Enumerable.Range(0, 6).Select(i => Polar(corner, phase + i * Math.PI / 3)));
        var thread = corner * Uniform(0.42, 0.52);
        if (Level >= 1)
            D.Circle(Cx, Cy, corner * Math.Sqrt(3) / 2 - 1, SvgDrawing.Thin * 1.4);
        D.Circle(Cx, Cy, thread * 0.85);
        if (Level >= 1)
        {
            // Major thread diameter: a three-quarter arc, as drawn by convention.
            var r = thread;
            D.Path(SvgDrawing.F($"M{Cx + r} {Cy} A{r} {r} 0 1 1 {Cx} {Cy - r}"), SvgDrawing.Thin * 1.4);
        }

        FrontCentreLines(corner + 4);
    }

    protected override void Side(bool section)
    {
        var corner = Uniform(27, 31);
        var thickness = corner * Uniform(0.8, 1.2);
        var x0 = Cx - thickness / 2;
        var thread = corner * Uniform(0.42, 0.5);
        var flats = corner / 2;
        if (section)
        {
            var spacing = Level == 2 ? 3.2 : 4.2;
            D.Hatch(SvgDrawing.RectPath(x0, Cy - corner, thickness, corner - thread), spacing);
            D.Hatch(SvgDrawing.RectPath(x0, Cy + thread, thickness, corner - thread), spacing);
            D.Line(x0, Cy - thread, x0 + thickness, Cy - thread, SvgDrawing.Thick);
            D.Line(x0, Cy + thread, x0 + thickness, Cy + thread, SvgDrawing.Thick);
            if (Level >= 1)
            {
                D.Line(x0, Cy - thread * 1.15, x0 + thickness, Cy - thread * 1.15);
                D.Line(x0, Cy + thread * 1.15, x0 + thickness, Cy + thread * 1.15);
            }
        }
        else
        {
            D.Line(x0, Cy - flats, x0 + thickness, Cy - flats, SvgDrawing.Thick);
            D.Line(x0, Cy + flats, x0 + thickness, Cy + flats, SvgDrawing.Thick);
            D.Line(x0, Cy - thread, x0 + thickness, Cy - thread, dashed: true);
            D.Line(x0, Cy + thread, x0 + thickness, Cy + thread, dashed: true);
            {
                // Chamfer arcs on the faces.
                foreach (var s in new[] { -1.0, 0, 1 })
                {
                    var yc = Cy + s * flats;
                    var half = s == 0 ? flats : flats / 2;
                    D.Path(SvgDrawing.F($"M{x0} {yc - half} Q{x0 + 3} {yc} {x0} {yc + half}"), SvgDrawing.Thin * 1.4);
                    D.Path(SvgDrawing.F($"M{x0 + thickness} {yc - half} Q{x0 + thickness - 3} {yc} {x0 + thickness} {yc + half}"), SvgDrawing.Thin * 1.4);
                }
            }
        }

        D.Rect(x0, Cy - corner, thickness, 2 * corner);
        SideAxis(x0, thickness, corner);
    }
}

internal sealed class PulleySketch : PartSketch
{
    protected override void Front()
    {
        var outer = Uniform(34, 38);
        var rim = outer - Uniform(6, 8);
        var hub = Uniform(11, 14);
        D.Circle(Cx, Cy, outer);
        D.Circle(Cx, Cy, outer - 2.5, SvgDrawing.Thin * 1.4);
        D.Circle(Cx, Cy, rim, SvgDrawing.Thick * 0.8);
        D.Circle(Cx, Cy, hub, SvgDrawing.Thick * 0.8);
        var spokes = Level switch { 0 => Integer(3, 4), 1 => Integer(4, 5), _ => Integer(5, 6) };
        var phase = Uniform(0, Math.PI);
        var half = Uniform(2.2, 3.2);
        for (var i = 0; i < spokes; i++)
        {
            var a = phase + 2 * Math.PI * i / spokes;
            var (nx, ny) = (-Math.Sin(a) * half, Math.Cos(a) * half);
            var (x1, y1) = Polar(hub, a);
            var (x2, y2) = Polar(rim, a);
            D.Line(x1 + nx, y1 + ny, x2 + nx, y2 + ny, SvgDrawing.Thick * 0.8);
            D.Line(x1 - nx, y1 - ny, x2 - nx, y2 - ny, SvgDrawing.Thick * 0.8);
        }

        Bore(Uniform(6, 8));
        FrontCentreLines(outer + 4);
    }

    protected override void Side(bool section)
    {
        var outer = Uniform(27, 30);
        var rim = outer - Uniform(6, 8);
        var hub = Uniform(10, 13);
        var bore = Uniform(5, 7);
        var width = Uniform(24, 32);
        var web = width * Uniform(0.25, 0.35);
        var hubWidth = width * Uniform(0.7, 1.0);
        var grooves = Level switch { 0 => 1, 1 => Integer(1, 2), _ => Integer(2, 3) };
        var x0 = Cx - width / 2;
        var (hx0, wx0) = (Cx - hubWidth / 2, Cx - web / 2);
        // Upper half of an I-shaped cross-section: rim with V grooves, thin web, hub.
        var upper = new List<(double X, double Y)> { (x0, Cy - outer) };
        var pitch = width / grooves;
        var depth = Uniform(5, 6.5);
        for (var g = 0; g < grooves; g++)
        {
            var gx = x0 + pitch * (g + 0.5);
            upper.Add((gx - pitch * 0.4, Cy - outer));
            upper.Add((gx - pitch * 0.12, Cy - outer + depth));
            upper.Add((gx + pitch * 0.12, Cy - outer + depth));
            upper.Add((gx + pitch * 0.4, Cy - outer));
        }

        upper.AddRange([(x0 + width, Cy - outer), (x0 + width, Cy - rim), (wx0 + web, Cy - rim), (wx0 + web, Cy - hub),
            (hx0 + hubWidth, Cy - hub), (hx0 + hubWidth, Cy - bore), (hx0, Cy - bore), (hx0, Cy - hub), (wx0, Cy - hub),
            (wx0, Cy - rim), (x0, Cy - rim)]);
        var lower = upper.Select(p => (p.X, 2 * Cy - p.Y)).ToList();
        if (section)
        {
            var spacing = Level == 2 ? 3.2 : 4.2;
            D.Hatch(SvgDrawing.PolygonPath(upper), spacing);
            D.Hatch(SvgDrawing.PolygonPath(lower), spacing);
            D.Polygon(upper);
            D.Polygon(lower);
        }
        else
        {
            D.Polygon(upper.Take(grooves * 4 + 3).Concat(lower.Take(grooves * 4 + 3).Reverse()));
            foreach (var s in new[] { -1, 1 })
                D.Line(hx0, Cy + s * bore, hx0 + hubWidth, Cy + s * bore, dashed: true);
            D.Rect(hx0, Cy - hub, hubWidth, 2 * hub, SvgDrawing.Thin);
        }

        SideAxis(x0, width, outer);
    }
}

internal sealed class HolePlateSketch : PartSketch
{
    protected override void Front()
    {
        var w = Uniform(62, 78);
        var h = Uniform(46, 66);
        var x0 = Cx - w / 2;
        var y0 = Cy - h / 2;
        D.Rect(x0, y0, w, h, corner: Level >= 1 ? Uniform(3, 7) : 0);
        var rows = Level switch { 0 => 2, 1 => Integer(2, 3), _ => Integer(3, 4) };
        var cols = Level switch { 0 => 2, 1 => Integer(2, 4), _ => Integer(3, 5) };
        var margin = Uniform(8, 11);
        var r = Math.Min(Uniform(2.8, 4.2), Math.Min((w - 2 * margin) / (cols - 1), (h - 2 * margin) / (rows - 1)) / 3);
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
            {
                var x = x0 + margin + (w - 2 * margin) * j / (cols - 1);
                var y = y0 + margin + (h - 2 * margin) * i / (rows - 1);
                D.Circle(x, y, r, SvgDrawing.Thick * 0.8);
                if (Level >= 1)
                    D.CentreCross(x, y, r + 2);
            }

        if (Level == 2)
            D.DimensionHorizontal(x0, x0 + w, y0 + h + 6);
    }

    protected override void Side(bool section)
    {
        var w = Uniform(68, 82);
        var t = Uniform(7, 12);
        var x0 = Cx - w / 2;
        var y0 = Cy - t / 2;
        var holes = Level switch { 0 => 2, 1 => Integer(2, 4), _ => Integer(3, 5) };
        var margin = Uniform(8, 11);
        var r = Uniform(2.8, 4);
        var xs = Enumerable.Range(0, holes).Select(j => x0 + margin + (w - 2 * margin) * j / (holes - 1)).ToArray();
        if (section)
        {
            var region = SvgDrawing.RectPath(x0, y0, w, t) + " " + string.Join(' ', xs.Select(x => SvgDrawing.RectPath(x - r, y0, 2 * r, t)));
            D.Hatch(region, Level == 2 ? 3.2 : 4.2);
        }

        D.Rect(x0, y0, w, t);
        foreach (var x in xs)
        {
            D.Line(x - r, y0, x - r, y0 + t, section ? SvgDrawing.Thick : SvgDrawing.Thin, dashed: !section);
            D.Line(x + r, y0, x + r, y0 + t, section ? SvgDrawing.Thick : SvgDrawing.Thin, dashed: !section);
            if (Level >= 1)
                D.Line(x, y0 - 5, x, y0 + t + 5, dashed: true);
        }

        if (Level == 2)
            D.DimensionVertical(y0, y0 + t, x0 + w + 5);
    }
}
