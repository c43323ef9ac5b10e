# Data package: the phrase bank, prompt templates and checker word lists ship inside the
# wheel as `pipeline.prompts`, so an installed zongjie finds them.
