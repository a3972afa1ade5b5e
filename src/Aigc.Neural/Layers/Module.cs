using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>
/// A node of a network with PyTorch's naming: state entries are "child.name" paths as in state_dict.
/// Modules keep what their last forward pass needs for backward; Backward differentiates that pass.
/// </summary>
public abstract class Module
{
    public bool Training { get; private set; } = true;

    public void Train(bool training = true)
    {
        Training = training;
        TrainingChanged();
        foreach (var (_, child) in Children())
            child.Train(training);
    }

    /// <summary>Called after <see cref="Training"/> is set, before the children are.</summary>
    protected virtual void TrainingChanged()
    {
    }

    public void Eval() => Train(false);

    /// <summary>
    /// False makes Backward leave this module's parameter gradients alone and skip computing them, as
    /// requires_grad=False does (e.g. the discriminator during the generator's step).
    /// </summary>
    public bool ParameterGradients { get; private set; } = true;

    public void SetParameterGradients(bool enabled)
    {
        ParameterGradients = enabled;
        foreach (var (_, child) in Children())
            child.SetParameterGradients(enabled);
    }

    protected virtual IEnumerable<(string Name, Module Child)> Children() => [];

    protected virtual IEnumerable<Parameter> LocalParameters() => [];

    /// <summary>Buffers (not trained) in state_dict order after the parameters.</summary>
    protected virtual IEnumerable<(string Name, StateSlot Slot)> LocalBuffers() => [];

    /// <summary>Parameters whose state name differs from Parameter.Name (spectral norm's weight_orig) override this.</summary>
    protected virtual IEnumerable<(string Name, StateSlot Slot)> LocalState()
    {
        foreach (var p in LocalParameters())
            yield return (p.Name, new TensorSlot(p.Value));
        foreach (var b in LocalBuffers())
            yield return b;
    }

    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach (var p in LocalParameters())
            yield return (p.Name, p);
        foreach (var (name, child) in Children())
            foreach (var (n, p) in child.NamedParameters())
                yield return ($"{name}.{n}", p);
    }

    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every state_dict entry: parameters and buffers, with PyTorch's names.</summary>
    public IEnumerable<(string Name, StateSlot Slot)> StateDict()
    {
        foreach (var entry in LocalState())
            yield return entry;
        foreach (var (name, child) in Children())
            foreach (var (n, slot) in child.StateDict())
                yield return ($"{name}.{n}", slot);
    }

    /// <summary>All sub-modules, depth first.</summary>
    public IEnumerable<Module> Descendants()
    {
        foreach (var (_, child) in Children())
        {
            yield return child;
            foreach (var d in child.Descendants())
                yield return d;
        }
    }

    public void ZeroGrad()
    {
        foreach (var p in Parameters())
            p.Grad.Clear();
    }
}

/// <summary>A module mapping one tensor to one tensor.</summary>
public abstract class Layer(INeuralBackend backend) : Module
{
    protected INeuralBackend Backend { get; } = backend;

    /// <summary>False when nobody needs dL/dinput (a network's first layer), so Backward may skip it and return null.</summary>
    public bool InputGradient { get; set; } = true;

    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Returns the gradient with respect to the last Forward's input (null when <see cref="InputGradient"/> is false
    /// and the layer skipped it) and accumulates parameter gradients.
    /// </summary>
    public abstract Tensor? Backward(Tensor gradOutput);

    protected static void RequireRank(Tensor t, int rank, string layer)
    {
        if (t.Rank != rank)
            throw new ArgumentException($"{layer} expects a rank-{rank} input, got {t}.");
    }
}
