using System.CommandLine;

var root = new RootCommand("aigc: Aigc Portal for scripts and operators");
return await root.Parse(args).InvokeAsync();
