using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Training;

namespace Aigc.Generation.Evaluation;

/// <summary>
/// A small CNN that tells the part class of a one-band drawing, built on our engine: four stride-2 convolutions
/// with LeakyReLU, a 64-wide ReLU feature layer (the Fréchet distance's features) and a linear head. The outside
/// judges (<see cref="OutsideJudges"/>) also use two other kinds (<see cref="ClassifierArchitecture"/>).
/// Trained with Adam on softmax cross-entropy; batches are shuffled from its seed, so training is repeatable.
/// </summary>
public sealed class BlueprintClassifier
{
    public const int FeatureWidth = 64;

    private readonly NeuralEngine _engine;
    private readonly Sequential _features;
    private readonly Linear _head;
    private readonly ulong _seed;

    public BlueprintClassifier(NeuralEngine engine, int imageSize, int classes, ulong seed,
        ClassifierArchitecture architecture = ClassifierArchitecture.Strided)
    {
        if (imageSize < 16 || imageSize % 16 != 0)
            throw new ArgumentException($"The classifier needs an image size that is a multiple of 16 (got {imageSize}).", nameof(imageSize));
        _engine = engine;
        _seed = seed;
        ImageSize = imageSize;
        Classes = classes;
        var backend = new CpuBackend(engine);
        var g = ConvGeometry.Square(4, 2, 1);
        var convolved = 64 * (imageSize / 16) * (imageSize / 16);
        Architecture = architecture;
        (Layer[] Layers, int Flat) body = architecture switch
        {
            ClassifierArchitecture.Strided => (
            [
                new Conv2d(backend, 1, 16, g) { InputGradient = false }, Leaky(backend),
                new Conv2d(backend, 16, 32, g), Leaky(backend),
                new Conv2d(backend, 32, 64, g), Leaky(backend),
                new Conv2d(backend, 64, 64, g), Leaky(backend),
            ], convolved),
            // A second judge that sees differently: a wide 5×5 first layer, a stride-1 3×3 layer at half resolution
            // and wider channels, ending at the same 64 × (size/16)² as the first.
            ClassifierArchitecture.Wide => (
            [
                new Conv2d(backend, 1, 24, ConvGeometry.Square(5, 2, 2)) { InputGradient = false }, Leaky(backend),
                new Conv2d(backend, 24, 24, ConvGeometry.Square(3, 1, 1)), Leaky(backend),
                new Conv2d(backend, 24, 48, g), Leaky(backend),
                new Conv2d(backend, 48, 96, g), Leaky(backend),
                new Conv2d(backend, 96, 64, g), Leaky(backend),
            ], convolved),
            // No convolutions: a judge that reads pixels, not shapes, so texture the generator gets wrong counts.
            ClassifierArchitecture.Pixels => (
            [
                new Flatten(backend), new Linear(backend, imageSize * imageSize, 256),
                new Activation(backend, ActivationKind.ReLU),
            ], 256),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, null),
        };
        _features = new Sequential(backend,
        [
            .. body.Layers,
            new Flatten(backend), new Linear(backend, body.Flat, FeatureWidth),
            new Activation(backend, ActivationKind.ReLU),
        ]);
        _head = new Linear(backend, FeatureWidth, classes);
        var random = new RandomSource(seed);
        Initialization.PyTorchDefault(_features, random);
        Initialization.PyTorchDefault(_head, random);
    }

    public ClassifierArchitecture Architecture { get; }

    public int ImageSize { get; }

    public int Classes { get; }

    private int Length => ImageSize * ImageSize;

    /// <summary>Trains on images [N·size²] in [−1, 1] with class labels; returns the last epoch's mean loss.</summary>
    public double Train(float[] images, int[] labels, int epochs, int batchSize = 64, float learningRate = 1e-3f,
        CancellationToken cancellationToken = default)
    {
        var n = labels.Length;
        if (images.Length != n * Length)
            throw new ArgumentException($"{n} labels but {images.Length / (double)Length} images.", nameof(images));
        var adam = new Adam(_features.Parameters().Concat(_head.Parameters()), learningRate);
        var order = Enumerable.Range(0, n).ToArray();
        var random = new RandomSource(RandomSource.Mix(_seed + 1));
        var x = new Tensor(0, 0);
        var grad = new Tensor(0, 0);
        var batchLabels = new int[batchSize];
        double loss = 0;
        using var lease = _engine.Acquire(cancellationToken);
        _features.Train();
        _head.Train();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            for (var i = n - 1; i > 0; i--)
            {
                var j = (int)(random.NextUInt64() % (ulong)(i + 1));
                (order[i], order[j]) = (order[j], order[i]);
            }

            loss = 0;
            var batches = 0;
            for (var start = 0; start + batchSize <= n || (start == 0 && n > 0); start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(batchSize, n - start);
                x.Resize([count, 1, ImageSize, ImageSize]);
                for (var b = 0; b < count; b++)
                {
                    images.AsSpan(order[start + b] * Length, Length).CopyTo(x.Span.Slice(b * Length, Length));
                    batchLabels[b] = labels[order[start + b]];
                }

                _features.ZeroGrad();
                _head.ZeroGrad();
                var logits = _head.Forward(_features.Forward(x));
                loss += SoftmaxCrossEntropy(logits, batchLabels.AsSpan(0, count), grad);
                _features.Backward(_head.Backward(grad)!);
                adam.Step();
                batches++;
            }

            loss /= Math.Max(batches, 1);
        }

        return loss;
    }

    /// <summary>Predicted classes and the 64 penultimate features of each image.</summary>
    public (int[] Predictions, float[][] Features) Infer(float[] images, CancellationToken cancellationToken = default)
    {
        var n = images.Length / Length;
        var predictions = new int[n];
        var features = new float[n][];
        var x = new Tensor(0, 0);
        using var lease = _engine.Acquire(cancellationToken);
        _features.Eval();
        _head.Eval();
        const int chunk = 128;
        for (var start = 0; start < n; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(chunk, n - start);
            x.Resize([count, 1, ImageSize, ImageSize]);
            images.AsSpan(start * Length, count * Length).CopyTo(x.Span);
            var h = _features.Forward(x);
            var logits = _head.Forward(h);
            for (var b = 0; b < count; b++)
            {
                features[start + b] = h.Span.Slice(b * FeatureWidth, FeatureWidth).ToArray();
                var row = logits.Span.Slice(b * Classes, Classes);
                var best = 0;
                for (var c = 1; c < Classes; c++)
                    if (row[c] > row[best])
                        best = c;
                predictions[start + b] = best;
            }
        }

        return (predictions, features);
    }

    private static Activation Leaky(INeuralBackend backend) => new(backend, ActivationKind.LeakyReLU, 0.2f);

    /// <summary>Mean cross-entropy of softmax(logits) and the labels; gradient (softmax − onehot)/N into <paramref name="gradient"/>.</summary>
    public static double SoftmaxCrossEntropy(Tensor logits, ReadOnlySpan<int> labels, Tensor gradient)
    {
        var (n, c) = (logits.Dim(0), logits.Dim(1));
        gradient.Resize([n, c]);
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            var row = logits.Span.Slice(i * c, c);
            var g = gradient.Span.Slice(i * c, c);
            var max = float.MinValue;
            foreach (var v in row)
                max = Math.Max(max, v);
            double sum = 0;
            for (var k = 0; k < c; k++)
                sum += Math.Exp(row[k] - max);
            for (var k = 0; k < c; k++)
                g[k] = (float)(Math.Exp(row[k] - max) / sum / n);
            g[labels[i]] -= 1f / n;
            total += Math.Log(sum) + max - row[labels[i]];
        }

        return total / n;
    }
}

/// <summary>The classifier's layers: the evaluation's own (strided) and a second kind for the outside judges.</summary>
public enum ClassifierArchitecture
{
    Strided,
    Wide,
    Pixels,
}
