namespace Aigc.Neural;

/// <summary>
/// A dense float32 tensor, row-major (NCHW for images). The backing array may be longer than
/// <see cref="Length"/>: layers resize their output tensors in place so that a steady loop with
/// unchanged shapes reuses the same memory instead of allocating.
/// </summary>
public sealed class Tensor
{
    private int[] _shape;

    public Tensor(params int[] shape)
    {
        _shape = (int[])shape.Clone();
        Length = CheckedLength(shape);
        Data = new float[Length];
    }

    private Tensor(float[] data, int[] shape)
    {
        _shape = shape;
        Length = CheckedLength(shape);
        if (data.Length < Length)
            throw new ArgumentException($"Data has {data.Length} elements, shape [{string.Join(", ", shape)}] needs {Length}.");
        Data = data;
    }

    public float[] Data { get; private set; }

    public int Length { get; private set; }

    public ReadOnlySpan<int> Shape => _shape;

    public int Rank => _shape.Length;

    public Span<float> Span => Data.AsSpan(0, Length);

    public int Dim(int axis) => _shape[axis];

    public static Tensor FromArray(float[] data, params int[] shape) => new(data, (int[])shape.Clone());

    public float this[int index]
    {
        get => Data[index];
        set => Data[index] = value;
    }

    /// <summary>Changes the shape, keeping the array when it is large enough; contents are unspecified afterwards.</summary>
    public Tensor Resize(ReadOnlySpan<int> shape)
    {
        var length = CheckedLength(shape);
        if (Data.Length < length)
            Data = new float[length];
        if (_shape.Length != shape.Length)
            _shape = new int[shape.Length];
        shape.CopyTo(_shape);
        Length = length;
        return this;
    }

    /// <summary>Returns <paramref name="tensor"/> resized to the shape, or a new tensor when it is null.</summary>
    public static Tensor Prepare(Tensor? tensor, ReadOnlySpan<int> shape) =>
        tensor is null ? new Tensor(shape.ToArray()) : tensor.Resize(shape);

    public static Tensor Prepare(Tensor? tensor, int d0, int d1)
    {
        Span<int> s = [d0, d1];
        return Prepare(tensor, s);
    }

    public static Tensor Prepare(Tensor? tensor, int d0, int d1, int d2, int d3)
    {
        Span<int> s = [d0, d1, d2, d3];
        return Prepare(tensor, s);
    }

    /// <summary>Makes this tensor a view of <paramref name="source"/>'s memory with another shape of equal length.</summary>
    internal void AliasOf(Tensor source, ReadOnlySpan<int> shape)
    {
        var length = CheckedLength(shape);
        if (length != source.Length)
            throw new ArgumentException($"Cannot view {source} as [{string.Join(", ", shape.ToArray())}].");
        Data = source.Data;
        Length = length;
        if (_shape.Length != shape.Length)
            _shape = new int[shape.Length];
        shape.CopyTo(_shape);
    }

    public bool HasShape(ReadOnlySpan<int> shape) => _shape.AsSpan().SequenceEqual(shape);

    public Tensor Clone()
    {
        var copy = new Tensor(_shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    public void Fill(float value) => Span.Fill(value);

    public void Clear() => Span.Clear();

    public override string ToString() => $"Tensor[{string.Join(", ", _shape)}]";

    private static int CheckedLength(ReadOnlySpan<int> shape)
    {
        long length = 1;
        foreach (var d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Negative dimension in shape [{string.Join(", ", shape.ToArray())}].");
            length *= d;
            if (length > Array.MaxLength)
                throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] is too large for one tensor.");
        }

        return (int)length;
    }
}
