using System.Buffers.Binary;
using System.Text;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Safetensors;

namespace Aigc.Neural.Tests;

public class SafetensorsTests
{
    private readonly CpuBackend _backend = TestEngines.Backend();

    [Fact]
    public void Reads_f16_bf16_and_i64_written_by_pytorch()
    {
        var f = Fixture.Load("dtypes");
        var f32 = f.Floats("f32");
        Assert.Equal("F16", f.Entries["f16"].DType);
        Assert.Equal(f32, f.Floats("f16"));
        Assert.Equal("BF16", f.Entries["bf16"].DType);
        var bf16 = f.Floats("bf16");
        for (var i = 0; i < f32.Length; i++)
            Assert.Equal(f32[i], bf16[i], Math.Abs(f32[i]) / 128);
        Assert.Equal([7L, -1L, 1L << 40], f.Entries["i64"].ToInt64());
    }

    [Fact]
    public void Round_trips_a_state_dict_with_pytorch_names()
    {
        var net = Network();
        Training.Initialization.PyTorchDefault(net, new RandomSource(9));
        ((BatchNorm2d)net.Layers[1]).NumBatchesTracked = 12;
        var path = Path.GetTempFileName();
        StateDictFile.Save(net, path);
        var names = SafetensorsFile.Read(path).Keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["0.bias", "0.weight_orig", "0.weight_u", "0.weight_v", "1.bias", "1.num_batches_tracked",
            "1.running_mean", "1.running_var", "1.weight"], names);
        var copy = Network();
        StateDictFile.Load(copy, path);
        Assert.Equal(12, ((BatchNorm2d)copy.Layers[1]).NumBatchesTracked);
        foreach (var ((_, a), (_, b)) in net.StateDict().Zip(copy.StateDict()))
            if (a is TensorSlot ta)
                Assert.Equal(ta.Tensor.Span.ToArray(), ((TensorSlot)b).Tensor.Span.ToArray());
        File.Delete(path);
    }

    [Fact]
    public void Missing_extra_and_misshaped_tensors_are_all_named()
    {
        var entries = StateDictFile.ToEntries(Network()).ToDictionary(e => e.Name);
        entries.Remove("1.running_var");
        entries["0.bias"] = SafetensorsEntry.FromFloats("0.bias", new float[3], [3]);
        entries["2.weight"] = SafetensorsEntry.FromFloats("2.weight", new float[1], [1]);
        var e = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(Network(), entries));
        Assert.Contains("missing tensor '1.running_var' [4]", e.Message);
        Assert.Contains("tensor '0.bias' has shape [3], expected [4]", e.Message);
        Assert.Contains("unexpected tensor '2.weight'", e.Message);
    }

    [Fact]
    public void Load_fails_before_changing_anything()
    {
        var net = Network();
        var before = ((TensorSlot)net.StateDict().First(s => s.Name == "1.weight").Slot).Tensor.Span.ToArray();
        var entries = StateDictFile.ToEntries(Network()).ToDictionary(e => e.Name);
        entries["1.weight"] = SafetensorsEntry.FromFloats("1.weight", [9, 9, 9, 9], [4]);
        entries.Remove("0.bias");
        Assert.Throws<InvalidDataException>(() => StateDictFile.Load(net, entries));
        Assert.Equal(before, ((TensorSlot)net.StateDict().First(s => s.Name == "1.weight").Slot).Tensor.Span.ToArray());
    }

    [Fact]
    public void Corrupt_files_give_clear_errors()
    {
        var good = Bytes(Network());
        Assert.Contains("truncated", Read(good.AsSpan(0, good.Length - 10).ToArray()));
        Assert.Contains("truncated", Read(good.AsSpan(0, 5).ToArray()));
        Assert.Contains("truncated", Read(good.AsSpan(0, 40).ToArray()));
        var huge = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, 1UL << 40);
        Assert.Contains("exceeds the limit", Read(huge));
        Assert.Contains("not valid JSON", Read(WithHeader("{\"a\": ")));
        Assert.Contains("Tensor 'a' has a malformed header entry", Read(WithHeader("{\"a\": {\"dtype\": \"F32\"}}")));
        Assert.Contains("Tensor 'a': F32 [3] needs 12 bytes, has 4", Read(WithHeader("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 4]}}", 4)));
        Assert.Contains("unknown dtype 'Q7'", Read(WithHeader("{\"a\": {\"dtype\": \"Q7\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4)));
        Assert.Contains("pickle", Read([0x80, 0x02, 0x7d, 0x71, 0, 0, 0, 0, 0, 0]));
        Assert.Contains("zip", Read(Encoding.ASCII.GetBytes("PK\u0003\u0004rest-of-a-pt-file")));
    }

    [Fact]
    public void A_header_length_that_starts_like_a_pickle_opcode_is_still_read()
    {
        var json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".PadRight(0x280);
        var file = WithHeader(json, 4);
        Assert.Equal(0x80, file[0]);
        Assert.Equal(0x02, file[1]);
        Assert.Equal([0f], SafetensorsFile.Read(file)["a"].ToFloats());
    }

    [Fact]
    public void Integer_and_float_tensors_are_not_confused()
    {
        var e = SafetensorsEntry.FromInt64("n", [1], [1]);
        Assert.Contains("Tensor 'n' is I64", Assert.Throws<InvalidDataException>(() => e.ToFloats()).Message);
    }

    private Sequential Network()
    {
        var conv = new Conv2d(_backend, 2, 4, ConvGeometry.Square(3));
        conv.ApplySpectralNorm(new RandomSource(1));
        return new Sequential(_backend, [conv, new BatchNorm2d(_backend, 4)]);
    }

    private static byte[] Bytes(Module m)
    {
        using var s = new MemoryStream();
        SafetensorsFile.Write(s, StateDictFile.ToEntries(m));
        return s.ToArray();
    }

    private static byte[] WithHeader(string json, int dataBytes = 0)
    {
        var h = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)h.Length);
        h.CopyTo(file, 8);
        return file;
    }

    private static string Read(byte[] file) =>
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(file)).Message;
}
