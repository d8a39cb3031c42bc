# bash completion for mountplan, plan-check and mountplan-exec
# (installed by `make install` into bash-completion's completions dir,
# once per command name: mountplan, plan-check, mountplan-exec).

# _mountplan_rules: the plan-check rule IDs (from the binary itself).
_mountplan_rules()
{
	mountplan check --list-rules 2>/dev/null | awk '{print $1}'
}

# _mountplan_files EXT...: complete files with these extensions, and
# directories.
_mountplan_files()
{
	local IFS=$'\n' ext pattern=
	for ext in "$@"; do pattern="${pattern:+$pattern|}*.$ext"; done
	COMPREPLY+=($(compgen -f -X "!@($pattern)" -- "$cur") $(compgen -d -- "$cur"))
}

# _mountplan_check_opts: complete plan-check's options and their values.
_mountplan_check_opts()
{
	case $prev in
	--format) COMPREPLY=($(compgen -W 'text json sarif' -- "$cur")); return 0 ;;
	--severity-threshold) COMPREPLY=($(compgen -W 'note warning error' -- "$cur")); return 0 ;;
	--disable|--enable) COMPREPLY=($(compgen -W "$(_mountplan_rules)" -- "${cur##*,}")); return 0 ;;
	--config|--values) _mountplan_files yaml yml; return 0 ;;
	--include-root) COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
	--set) return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--format= --severity-threshold= --disable= --enable= --config= --list-rules --set --values --include-root --help' -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace
		return 0
	fi
	_mountplan_files yaml yml
}

_mountplan()
{
	local cur prev words cword cmd
	_init_completion -s 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
	}
	if [[ $cword -eq 1 ]]; then
		COMPREPLY=($(compgen -W 'compile dump check explain table verify diff import-oci export-oci --help --version' -- "$cur"))
		return
	fi
	cmd=${words[1]}
	case $cmd in
	check) _mountplan_check_opts; return ;;
	explain) COMPREPLY=($(compgen -W "$(_mountplan_rules)" -- "$cur")); return ;;
	esac
	case $prev in
	--format)
		case $cmd in
		diff) COMPREPLY=($(compgen -W 'text json markdown sarif' -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W 'text json' -- "$cur")) ;;
		esac
		return ;;
	-o|--output|--base|--values) _mountplan_files yaml yml mpb json; return ;;
	--rootfs|--nodes|--include-root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--set) return ;;
	esac
	if [[ $cur == -* ]]; then
		local opts='--format= --set --values --include-root --help'
		case $cmd in
		compile|import-oci|export-oci) opts="$opts -o --output=" ;;
		esac
		[[ $cmd == export-oci ]] && opts="$opts --base="
		[[ $cmd == diff ]] && opts="$opts --git"
		[[ $cmd == verify ]] && opts="$opts --rootfs --nodes"
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace
		return
	fi
	case $cmd in
	import-oci) _mountplan_files json ;;
	verify) _mountplan_files yaml yml mpb; COMPREPLY+=($(compgen -W '-' -- "$cur")) ;;
	*) _mountplan_files yaml yml mpb ;;
	esac
}

_plan_check()
{
	local cur prev words cword
	_init_completion -s 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
	}
	_mountplan_check_opts
}

_mountplan_exec()
{
	local cur prev words cword i
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
	}
	for ((i = 1; i < cword; i++)); do
		if [[ ${words[i]} == -- ]]; then # the command and its arguments
			if [[ $i -eq $((cword - 1)) ]]; then
				COMPREPLY=($(compgen -c -- "$cur"))
			else
				COMPREPLY=($(compgen -f -- "$cur"))
			fi
			return
		fi
	done
	case $prev in
	--rootfs) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--rootfs --dry-run --trace --userns --help --version --' -- "$cur"))
		return
	fi
	_mountplan_files mpb
}

complete -F _mountplan mountplan
complete -F _plan_check plan-check
complete -F _mountplan_exec mountplan-exec
