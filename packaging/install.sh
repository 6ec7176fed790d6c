#!/bin/sh
# gradesec offline install: run from the unpacked archive, no network needed.
#   ./install.sh [VENV]     default VENV: ~/.local/share/gradesec/venv
# Uses python3 (or $GRADESEC_PYTHON); it must be the Python version the archive was built for.
# 离线安装：在解压后的目录中运行，无需联网。
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${1:-"$HOME/.local/share/gradesec/venv"}
python=${GRADESEC_PYTHON:-python3}

echo "gradesec: creating the virtual environment in $venv … / 正在创建虚拟环境…"
"$python" -m venv "$venv"
echo "gradesec: installing gradesec from the archive's wheels (no network) … / 正在从安装包安装（不联网）…"
"$venv/bin/python" -m pip install --no-index --find-links "$here/wheels" --upgrade pip
"$venv/bin/python" -m pip install --no-index --find-links "$here/wheels" gradesec
"$venv/bin/gradesec" --version

echo "gradesec: checking for a font that sets Chinese in PDF reports … / 正在检查 PDF 报告所需的中文字体…"
if "$venv/bin/python" -c "from gradesec.report.fonts import find_font; print('gradesec: font / 字体: ' + find_font().name)"; then
  :
else
  echo "gradesec: no CJK font found: install fonts-wqy-microhei (or set GRADESEC_FONT); PDF reports need one." >&2
  echo "gradesec: 未找到中文字体：请安装 fonts-wqy-microhei（或设置 GRADESEC_FONT），PDF 报告需要中文字体。" >&2
fi
echo "gradesec: installed. Run: $venv/bin/gradesec   / 安装完成，运行：$venv/bin/gradesec"
