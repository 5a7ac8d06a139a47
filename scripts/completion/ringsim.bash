# SPDX-License-Identifier: GPL-2.0-only
# bash completion for ringsim(1): commands, each command's options (asked of the binary
# itself, from `ringsim COMMAND --help`, so they never go stale), scenario files, and after
# --set or --vary the PATHs of the scenario on the command line (`ringsim paths FILE`).

_ringsim_options() { # COMMAND: the long and short options its --help lists
	"$1" "$2" --help 2>/dev/null |
		sed -n 's/^ \{1,\}\(-[a-zA-Z]\)\{0,1\},\{0,1\} *\(--[a-z-]*\).*/\1 \2/p' |
		tr ' ' '\n' | grep -e '^-'
}

_ringsim() {
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n = || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	local prog=${words[0]} cmd= file= i
	local commands="run validate compare regress paths dut help"

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*)
			if [ -z "$cmd" ]; then
				cmd=${words[i]}
			elif [ -z "$file" ] && [[ ${words[i]} == *.xml ]] &&
				[[ ${words[i - 1]} != -o && ${words[i - 1]} != --output &&
				   ${words[i - 1]} != --resume && ${words[i - 1]} != --slurm-args &&
				   ${words[i - 1]} != --vcd && ${words[i - 1]} != --junit &&
				   ${words[i - 1]} != --pcap ]]; then
				file=${words[i]}
			fi
			;;
		esac
	done
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--set | -s | --vary)
		local paths
		# The scenario's own paths; the quickstart's when it has none (yet) that load.
		paths=$({ "$prog" paths ${file:+"$file"} || "$prog" paths; } 2>/dev/null |
			sed 's/=.*//; s/$/=/')
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "$paths" -- "$cur"))
		return
		;;
	--records)
		COMPREPLY=($(compgen -W "all summary" -- "$cur"))
		return
		;;
	--executor)
		COMPREPLY=($(compgen -W "local slurm" -- "$cur"))
		return
		;;
	--pcap-link)
		COMPREPLY=($(compgen -W "raw ethernet" -- "$cur"))
		return
		;;
	-o | --output | --resume)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--vcd | --junit | --pcap)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-j | --jobs | --replications | --timeout | --max-cycles | --max-host-seconds | \
	--slurm-args | --pcap-snaplen)
		return
		;;
	esac
	if [ "$cmd" = dut ] && [[ $cur != -* ]]; then
		# dut ACTION KIND (DUT|DIR): the words after "dut" so far say which is next
		local after=() w
		for w in "${words[@]:1:cword-1}"; do
			[[ $w == -* ]] || after+=("$w")
		done
		case ${#after[@]} in
		1) COMPREPLY=($(compgen -W "list build init" -- "$cur")) ;;
		2) [ "${after[1]}" != list ] && COMPREPLY=($(compgen -W "virtio-9p xen-blk" -- "$cur")) ;;
		3) [ "${after[1]}" = build ] && COMPREPLY=($(compgen -W "seed upstream" -- "$cur") $(compgen -f -- "$cur"))
		   [ "${after[1]}" = init ] && COMPREPLY=($(compgen -d -- "$cur")) ;;
		esac
		return
	fi
	if [ "$cmd" = help ]; then
		COMPREPLY=($(compgen -W "${commands% help}" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_ringsim_options "$prog" "$cmd")" -- "$cur"))
		return
	fi
	# Operands: scenarios and sweeps (*.xml), directories (regress, compare's results).
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.xml' -- "$cur"))
}
complete -F _ringsim ringsim
