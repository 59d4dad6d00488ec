# bash completion for paradedup(1). The options are read from `paradedup --help` of the
# program being completed, so they cannot drift from it; words that are not options complete
# as file names.
_paradedup() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  if [[ $cur == -* ]]; then
    local opts
    opts=$(command "${COMP_WORDS[0]}" --help 2> /dev/null |
           grep -oE -- '(^|[ ,(])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[ ,(]*//' | sort -u)
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}
complete -o filenames -o bashdefault -F _paradedup paradedup
