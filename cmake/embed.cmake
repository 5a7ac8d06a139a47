# SPDX-License-Identifier: GPL-2.0-only
# cmake -DIN=file -DOUT=file.c -DSYMBOL=name -P embed.cmake: a C array of a file's bytes.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE "${OUT}.tmp"
	"/* Generated from ${IN}; do not edit. */\n"
	"const unsigned char ${SYMBOL}[] = {${body} 0x00};\n"
	"const unsigned long ${SYMBOL}_len = sizeof(${SYMBOL}) - 1;\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
