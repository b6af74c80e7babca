-- monolint's language server for Markdown pages (Neovim 0.11 or later).
-- README's editor set-up shows this file; tests/lsp/test_lsp_neovim.py runs it as it is.
vim.lsp.config('monolint', {
  cmd = { 'monolint', 'lsp' },
  filetypes = { 'markdown' },
  root_markers = { 'monolint.toml', 'pyproject.toml', '.git' },
})
vim.lsp.enable('monolint')
