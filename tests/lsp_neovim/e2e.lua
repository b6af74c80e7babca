-- End-to-end run of `monolint lsp` in headless Neovim, driven by tests/lsp/test_lsp_neovim.py.
-- Environment: MONOLINT_E2E_CONFIG (the README's snippet, monolint.lua), MONOLINT_E2E_PAGE
-- (a page with a MON401 finding), MONOLINT_E2E_OUT (where to write the results as JSON),
-- MONOLINT_E2E_ENCODING (optional: the only position encoding Neovim offers).
-- Every step records what it saw; the Python test asserts them. Neovim always quits.

local results = {}
local TIMEOUT_MS = 15000

local function wait_for(predicate)
  return vim.wait(TIMEOUT_MS, predicate, 50)
end

local function run()
  vim.cmd('filetype on')
  dofile(os.getenv('MONOLINT_E2E_CONFIG'))
  local encoding = os.getenv('MONOLINT_E2E_ENCODING') or ''
  if encoding ~= '' then
    vim.lsp.config('monolint', { capabilities = { general = { positionEncodings = { encoding } } } })
  end

  vim.cmd.edit(vim.fn.fnameescape(os.getenv('MONOLINT_E2E_PAGE')))
  local buf = vim.api.nvim_get_current_buf()
  results.filetype = vim.bo[buf].filetype

  local client
  results.attached = wait_for(function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'monolint' })[1]
    return client ~= nil and client.initialized == true
  end)
  if not client then
    return
  end
  results.offset_encoding = client.offset_encoding

  local function dose_diagnostic()
    for _, diagnostic in ipairs(vim.diagnostic.get(buf)) do
      if diagnostic.code == 'MON401' then
        return diagnostic
      end
    end
  end
  results.diagnosed = wait_for(function()
    return dose_diagnostic() ~= nil
  end)
  local found = dose_diagnostic()
  if not found then
    return
  end
  -- Neovim's own columns are byte offsets into the line, whatever the encoding on the wire.
  results.diagnostic = {
    lnum = found.lnum,
    col = found.col,
    end_lnum = found.end_lnum,
    end_col = found.end_col,
    severity = found.severity,
    source = found.source,
    message = found.message,
  }

  local lsp_diagnostic = found.user_data.lsp
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' } },
  }
  local response = client:request_sync('textDocument/codeAction', params, TIMEOUT_MS, buf)
  local actions = (response and response.result) or {}
  results.titles = vim.tbl_map(function(action)
    return action.title
  end, actions)
  local quick_fix
  for _, action in ipairs(actions) do
    if action.isPreferred and action.kind == 'quickfix' and action.title:find('MON401', 1, true) then
      quick_fix = action
    end
  end
  if not quick_fix then
    return
  end

  vim.lsp.util.apply_workspace_edit(quick_fix.edit, client.offset_encoding)
  results.fixed_line = vim.api.nvim_buf_get_lines(buf, found.lnum, found.lnum + 1, false)[1]
  results.cleared = wait_for(function()
    return dose_diagnostic() == nil
  end)
  results.remaining = #vim.diagnostic.get(buf)
end

local ok, err = pcall(run)
results.error = ok and vim.NIL or tostring(err)
local out = assert(io.open(os.getenv('MONOLINT_E2E_OUT'), 'w'))
out:write(vim.json.encode(results))
out:close()
vim.cmd('qa!')
