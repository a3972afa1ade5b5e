using Aigc.Neural.Layers;

namespace Aigc.Neural.Training;

public abstract class Optimizer(IEnumerable<Parameter> parameters)
{
    protected Parameter[] Parameters { get; } = parameters.ToArray();

    public abstract void Step();

    public void ZeroGrad()
    {
        foreach (var p in Parameters)
            p.Grad.Clear();
    }
}
