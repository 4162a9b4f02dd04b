"""Commands whose dependencies are an optional extra say how to install it."""

import pytest

from cslint.cli import _optional


def test_a_missing_extra_is_one_line_with_the_install_command(capsys):
    with pytest.raises(SystemExit) as stopped:
        _optional("cslint_no_such_module", "server")
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pip install 'cslint[server]'" in err and "cslint_no_such_module is missing" in err


@pytest.mark.parametrize("module, extra", [("cslint.server", "server"), ("cslint.lsp", "lsp")])
def test_the_test_extra_installs_the_server_and_lsp_extras(module, extra):
    assert _optional(module, extra) is not None
