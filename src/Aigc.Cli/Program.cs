using System.CommandLine;
using Aigc.Cli.Commands;

var root = new RootCommand("aigc: Aigc Portal for scripts and operators")
{
    ForwardCommand.Create(),
    ImageCommand.Create(),
    DatasetCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    SketchCommand.Create(),
    GenerateCommand.Create(),
    ExportCommand.Create(),
    WorkerCommand.Create(),
    DbCommand.Create(),
    BlobsCommand.Create(),
    DevCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
